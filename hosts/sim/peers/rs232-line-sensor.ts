/**
 * A simulated RS232 sensor that prints lines: it streams "$TEMP,21.4,C" (and a "$HUM" line the
 * temperature channel must skip) at a fixed period, or answers a prompt with one line. Faults
 * are injected per line: silence, lateness, garbage, parity errors, truncation.
 */
import type { SerialFraming } from "../../../modules/platform/io.js";
import { SeededRandom } from "../seeded-random.js";
import type { SerialTap } from "../serial-bus.js";
import { type AnswerFaults, FaultPlan, faultLabel, sendAnswer } from "./fault-plan.js";

/** Faults per line; a truncated line has no line end. */
export type LineFaults = AnswerFaults;

export interface LineSensorOptions {
  framing?: SerialFraming;
  /** Streams a line this often; none for a prompted sensor. */
  periodMs?: number;
  /** The prompt this sensor answers (prompted mode). */
  prompt?: string;
  /** Time from the prompt to the answer. */
  answerDelayMs?: number;
  /** The lines at a virtual time; the first is the answer to a prompt. */
  lines?: (timeMs: number) => string[];
  seed?: number | string;
}

export type LinePeerEvent = { kind: "prompt"; at: number; text: string } | { kind: "line"; at: number; text: string; fault?: string };

export function temperatureLines(timeMs: number): string[] {
  const temperature = 21.4 + 3 * Math.sin((2 * Math.PI * timeMs) / 86_400_000);
  const humidity = 48 + 10 * Math.sin((2 * Math.PI * timeMs) / 43_200_000);
  return [`$TEMP,${temperature.toFixed(1)},C`, `$HUM,${humidity.toFixed(0)},%`];
}

export class LineSensorPeer {
  readonly events: LinePeerEvent[] = [];
  readonly #tap: SerialTap;
  readonly #options: LineSensorOptions;
  readonly #random: SeededRandom;
  readonly #faults = new FaultPlan<LineFaults>();
  #heard = "";
  #streaming = false;

  constructor(tap: SerialTap, options: LineSensorOptions = {}) {
    this.#tap = tap;
    this.#options = options;
    this.#random = new SeededRandom(options.seed ?? "rs232");
    tap.setFraming(options.framing ?? { baud: 9600, dataBits: 8, parity: "none", stopBits: 1 });
    tap.listener = { onBytes: (bytes) => this.#heardBytes(bytes) };
    if (options.periodMs) {
      this.#streaming = true;
      this.#scheduleStream(options.periodMs);
    }
  }

  inject(faults: LineFaults, lines = Infinity): void {
    this.#faults.inject(faults, lines);
  }

  /** Holds the line in the space state (a shorted or failing sensor), or lets it go. */
  holdBusLow(active: boolean): void {
    this.#tap.holdBreak(active);
  }

  /** Stops streaming (the sensor lost power). */
  stop(): void {
    this.#streaming = false;
  }

  #lines(): string[] {
    return (this.#options.lines ?? temperatureLines)(this.#tap.bus.scheduler.now);
  }

  #scheduleStream(periodMs: number): void {
    this.#tap.bus.scheduler.after(periodMs, () => {
      if (!this.#streaming) return;
      for (const line of this.#lines()) this.#emit(line);
      this.#scheduleStream(periodMs);
    });
  }

  #heardBytes(bytes: Uint8Array): void {
    this.#heard += String.fromCharCode(...bytes);
    const prompt = this.#options.prompt;
    if (prompt === undefined) return;
    const at = this.#heard.indexOf(prompt);
    if (at < 0) {
      if (this.#heard.length > 256) this.#heard = this.#heard.slice(-prompt.length);
      return;
    }
    this.#heard = this.#heard.slice(at + prompt.length);
    this.events.push({ kind: "prompt", at: this.#tap.bus.scheduler.now, text: prompt });
    const line = this.#lines()[0];
    this.#emit(line);
  }

  #emit(text: string): void {
    const faults = this.#faults.take();
    const fault = faultLabel(faults);
    if (faults.silent) {
      this.events.push({ kind: "line", at: this.#tap.bus.scheduler.now, text: "", fault: "silent" });
      return;
    }
    const delay = faults.lateMs ?? (this.#streaming ? 0 : this.#options.answerDelayMs ?? 20);
    this.#tap.bus.scheduler.after(delay, () => {
      this.events.push({ kind: "line", at: this.#tap.bus.scheduler.now, text, ...(fault ? { fault } : {}) });
      sendAnswer(this.#tap, Uint8Array.from(`${text}\r\n`, (c) => c.charCodeAt(0)), faults, this.#random);
    });
  }

}
