/**
 * One SDI-12 exchange on the wire: an optional break and marking, the command, then the
 * response line, ended by <CR><LF>, by silence, or by a gap. It decides when a break is needed
 * (another address, or more than 87 ms of marking) and keeps the bus timing in milliseconds of
 * the platform clock. It knows nothing of what the response means.
 */
import type { Clock, TimerHandle, Timers } from "../../modules/platform/clock.js";
import type { SerialLine } from "../serial-port/serial-line.js";
import { SENSOR_RELEASE_MS, type Sdi12Timing } from "./timing.js";

export type LinkResult =
  /** A line up to and including <CR><LF>, received without line errors. */
  | { kind: "line"; bytes: Uint8Array }
  /** Nothing arrived in the response window. */
  | { kind: "silent" }
  /** Something arrived but not a clean line: line errors, no <CR><LF>, or the command was not sent. */
  | { kind: "garbled"; reason: string };

/** "auto" sends a break only when the rules require one; "break" always does. */
export type WakeMode = "auto" | "break";

type State = "idle" | "waking" | "awaiting" | "receiving" | "listening";

/** Longest line kept; anything longer is garbage (the longest valid SDI-12 line is 82 characters). */
const MAX_LINE = 128;
const CR = 0x0d;
const LF = 0x0a;

export class Sdi12Link {
  timing: Sdi12Timing;
  /** Bytes that arrived while nothing was expected (a late answer, a chattering sensor). */
  onStrayBytes: ((count: number) => void) | undefined;
  /** Parity and framing errors, whenever they happen. */
  onLineError: ((kind: "parity" | "framing") => void) | undefined;

  readonly #line: SerialLine;
  readonly #timers: Timers;
  readonly #clock: Clock;
  #state: State = "idle";
  #timer: TimerHandle | undefined;
  #done: ((result: LinkResult) => void) | undefined;
  #buffer: number[] = [];
  #lineErrors = 0;
  #lineErrorsSinceClean = 0;
  #lastAddress: string | undefined;
  #lastActivity: number | undefined;
  #lastReceived = -Infinity;
  #breakEndedAt = -Infinity;

  constructor(line: SerialLine, timers: Timers, clock: Clock, timing: Sdi12Timing) {
    this.#line = line;
    this.#timers = timers;
    this.#clock = clock;
    this.timing = timing;
    line.listener = {
      onBytes: (bytes) => this.#received(bytes),
      onLineError: (kind) => this.#lineError(kind),
    };
  }

  /** Line errors since the last clean line: a bus held in a break shows up as one. */
  get lineErrorsSinceClean(): number {
    return this.#lineErrorsSinceClean;
  }

  /** Monotonic time the last break ended. */
  get breakEndedAt(): number {
    return this.#breakEndedAt;
  }

  get busy(): boolean {
    return this.#state !== "idle";
  }

  /** Sends `command` to `address` and reports the response. */
  exchange(command: string, address: string, wake: WakeMode, done: (result: LinkResult) => void): void {
    if (this.busy) throw new Error("SDI-12 link busy");
    this.#done = done;
    const now = this.#clock.monotonic();
    const needsBreak = wake === "break" || address !== this.#lastAddress || this.#lastActivity === undefined ||
      now - this.#lastActivity > this.timing.wakeWindowMs;
    this.#lastAddress = address;
    this.#state = "waking";
    // Whatever comes next, the sensor that answered last must have let go of the line.
    this.#after(this.#lastReceived + SENSOR_RELEASE_MS - now, () => {
      if (needsBreak) this.#wake(command);
      else this.#send(command);
    });
  }

  /** Waits up to `timeoutMs` for a line nobody asked for: a service request. */
  listen(timeoutMs: number, done: (result: LinkResult) => void): void {
    if (this.busy) throw new Error("SDI-12 link busy");
    this.#done = done;
    this.#begin("listening");
    this.#after(timeoutMs, () => this.#noResponse());
  }

  /** Makes the next command start with a break (after an abort, or a change of address). */
  forgetAddress(): void {
    this.#lastAddress = undefined;
  }

  /** Abandons an exchange in progress without reporting it (the driver is closing). */
  abandon(): void {
    this.#clearTimer();
    if (this.#state === "waking") this.#line.setBreak(false);
    this.#state = "idle";
    this.#done = undefined;
  }

  #wake(command: string): void {
    this.#line.setBreak(true);
    this.#after(this.timing.breakMs, () => {
      this.#line.setBreak(false);
      this.#breakEndedAt = this.#clock.monotonic();
      this.#after(this.timing.markingMs, () => this.#send(command));
    });
  }

  #send(command: string): void {
    const bytes = new Uint8Array(command.length);
    for (let i = 0; i < command.length; i++) bytes[i] = command.charCodeAt(i) & 0x7f;
    const endsAt = this.#line.write(bytes);
    if (endsAt === undefined) {
      this.#finish({ kind: "garbled", reason: "the UART refused the command" });
      return;
    }
    this.#lastActivity = endsAt;
    this.#begin("awaiting");
    this.#after(endsAt - this.#clock.monotonic() + this.timing.responseWindowMs, () => this.#noResponse());
  }

  #begin(state: State): void {
    this.#state = state;
    this.#buffer = [];
    this.#lineErrors = 0;
  }

  #noResponse(): void {
    this.#line.poll();
    if (this.#state === "awaiting" || this.#state === "listening") this.#finish({ kind: "silent" });
  }

  #received(bytes: Uint8Array): void {
    const now = this.#clock.monotonic();
    this.#lastActivity = now;
    this.#lastReceived = now;
    if (this.#state !== "awaiting" && this.#state !== "receiving" && this.#state !== "listening") {
      this.onStrayBytes?.(bytes.length);
      return;
    }
    for (let i = 0; i < bytes.length; i++) {
      if (this.#buffer.length < MAX_LINE) this.#buffer.push(bytes[i]);
      const n = this.#buffer.length;
      if (n >= 2 && this.#buffer[n - 2] === CR && this.#buffer[n - 1] === LF) {
        if (i < bytes.length - 1) this.onStrayBytes?.(bytes.length - 1 - i);
        this.#lineEnded();
        return;
      }
    }
    this.#awaitMore();
  }

  #lineError(kind: "parity" | "framing"): void {
    this.onLineError?.(kind);
    this.#lineErrorsSinceClean++;
    const now = this.#clock.monotonic();
    this.#lastActivity = now;
    this.#lastReceived = now;
    if (this.#state !== "awaiting" && this.#state !== "receiving" && this.#state !== "listening") return;
    this.#lineErrors++;
    this.#awaitMore();
  }

  /** Part of a response is in: the rest must follow without a gap. */
  #awaitMore(): void {
    if (this.#state === "awaiting") this.#state = "receiving";
    this.#after(this.timing.characterGapMs, () => {
      this.#line.poll();
      if (this.#state !== "receiving" && this.#state !== "listening") return;
      const errors = this.#lineErrors;
      this.#finish({
        kind: "garbled",
        reason: errors ? `${errors} line error${errors > 1 ? "s" : ""}`
          : this.#buffer.length >= MAX_LINE ? `longer than ${MAX_LINE} characters` : `truncated after ${this.#buffer.length} characters`,
      });
    });
  }

  #lineEnded(): void {
    if (this.#lineErrors) {
      this.#finish({ kind: "garbled", reason: `${this.#lineErrors} line error${this.#lineErrors > 1 ? "s" : ""}` });
      return;
    }
    this.#lineErrorsSinceClean = 0;
    this.#finish({ kind: "line", bytes: Uint8Array.from(this.#buffer) });
  }

  #finish(result: LinkResult): void {
    this.#clearTimer();
    this.#state = "idle";
    const done = this.#done;
    this.#done = undefined;
    done?.(result);
  }

  #after(ms: number, run: () => void): void {
    this.#clearTimer();
    this.#timer = this.#timers.set(() => {
      this.#timer = undefined;
      run();
    }, Math.max(0, Math.ceil(ms)));
  }

  #clearTimer(): void {
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
  }
}
