/**
 * A simulated SDI-12 sensor on a board's SDI-12 bus, holding the sensor's side of the timing:
 * it sleeps until a break of at least 12 ms, needs 8.33 ms of marking before a command, drops
 * back to sleep after 100 ms of marking or a command for another address, answers 8.33..15 ms
 * after the command's last stop bit, one character at a time, and keeps its measurement buffer
 * the way v1.3 §4.4 describes (abort on a break before the service request, on any command
 * during a concurrent measurement). Faults are injected per answer. Every break, command and
 * answer is logged with its virtual time, so tests can check the recorder's timing.
 */
import { appendSdi12Crc } from "../../../drivers/sdi12/crc.js";
import { formatValue } from "../../../drivers/sdi12/values.js";
import { SeededRandom } from "../seeded-random.js";
import type { SerialTap } from "../serial-bus.js";
import { type AnswerFaults, FaultPlan, faultLabel, sendAnswer } from "./fault-plan.js";

export interface Sdi12MeasurementSpec {
  /** The time announced in the header (ttt), in seconds. */
  seconds: number;
  /** When the values are really ready, ms after the header; a service request follows (M, V). */
  readyMs?: number;
  /** The values at a virtual time. */
  read(timeMs: number): number[];
  /** Decimal places of each value (or of all). */
  decimals?: number | readonly number[];
  /** v1.4 metadata of each value: [SHEF code, units, ...notes]. */
  metadata?: ReadonlyArray<readonly string[]>;
}

export interface Sdi12Identity {
  /** "13" or "14". */
  sdi12Version: string;
  vendor: string;
  model: string;
  version: string;
  extra?: string;
}

/** `lateMs` counts from the command's last stop bit (the specification allows 15 ms). */
export interface Sdi12Faults extends AnswerFaults {
  /** The CRC characters are wrong. */
  wrongCrc?: boolean;
  /** Also answers commands addressed here (with its own address in the answer). */
  answerFor?: string;
}

export interface Sdi12SensorOptions {
  address: string;
  identity: Sdi12Identity;
  /** Keyed by command letters: "M", "M1", "C", "C2", "V", "HA", "R0"... (CRC forms use the same entry). */
  measurements: Readonly<Record<string, Sdi12MeasurementSpec>>;
  /** Sends the service request when an M or V measurement is ready (a compliant sensor does). */
  serviceRequest?: boolean;
  /** Marking before an answer, from the command's last stop bit (8.33..15 ms). */
  answerDelayMs?: number;
  /** Time after a break before the sensor can read a command (up to 100 ms allowed). */
  wakeMs?: number;
  seed?: number | string;
}

export type Sdi12PeerEvent =
  | { kind: "break"; at: number; durationMs: number; recognized: boolean }
  /** `at` is the first start bit, `endsAt` the last stop bit; `sinceBreakMs` the marking after the last break. */
  | { kind: "command"; at: number; endsAt: number; text: string; sinceBreakMs: number }
  | { kind: "ignored"; at: number; text: string; reason: string }
  | { kind: "answer"; at: number; text: string; fault?: string };

const BREAK_MIN_MS = 12;
const MARKING_MIN_MS = 8.33 - 0.4;
const SLEEP_AFTER_MS = 100;
const ADDRESS_CHANGE_BUSY_MS = 500;

interface Pending {
  key: string;
  readyAt: number;
  /** Undefined once aborted. */
  values: number[] | undefined;
  crc: boolean;
  pageCharacters: number;
  decimals: number | readonly number[] | undefined;
  serviceRequest: boolean;
}

export class Sdi12SensorPeer {
  address: string;
  readonly events: Sdi12PeerEvent[] = [];
  readonly #tap: SerialTap;
  readonly #options: Sdi12SensorOptions;
  readonly #random: SeededRandom;
  readonly #faults = new FaultPlan<Sdi12Faults>();
  #awake = false;
  #breakStartedAt: number | undefined;
  #breakEndedAt = -Infinity;
  #lastActivity = -Infinity;
  #ignoreUntil = -Infinity;
  #lastCommandEnd = -Infinity;
  #heard: Array<{ code: number; at: number }> = [];
  #data: Pending | undefined;
  #serviceRequestTimer: { cancelled: boolean } | undefined;

  constructor(tap: SerialTap, options: Sdi12SensorOptions) {
    this.#tap = tap;
    this.#options = options;
    this.address = options.address;
    this.#random = new SeededRandom(options.seed ?? `sdi12:${options.address}`);
    tap.setFraming({ baud: 1200, dataBits: 7, parity: "even", stopBits: 1 });
    tap.listener = {
      onBytes: (bytes) => this.#heardBytes(bytes),
      onError: () => this.#noise(),
      onBreak: (active) => this.#breakChanged(active),
    };
  }

  /** Applies `faults` to the next `answers` answers (all of them by default). */
  inject(faults: Sdi12Faults, answers = Infinity): void {
    this.#faults.inject(faults, answers);
  }

  /** Holds the bus in the spacing state (a shorted or failing sensor), or lets it go. */
  holdBusLow(active: boolean): void {
    this.#tap.holdBreak(active);
  }

  get #now(): number {
    return this.#tap.bus.scheduler.now;
  }

  #characterMs(): number {
    return 10_000 / 1200;
  }

  #breakChanged(active: boolean): void {
    if (active) {
      this.#breakStartedAt = this.#now;
      this.#heard = [];
      return;
    }
    if (this.#breakStartedAt === undefined) return;
    this.#heard = [];
    const durationMs = this.#now - this.#breakStartedAt;
    this.#breakStartedAt = undefined;
    const recognized = durationMs >= BREAK_MIN_MS;
    this.events.push({ kind: "break", at: this.#now - durationMs, durationMs, recognized });
    if (!recognized) return;
    this.#awake = true;
    this.#breakEndedAt = this.#now;
    this.#lastActivity = this.#now;
    // A break before the service request aborts an M or V measurement (v1.3 §4.4.5.1).
    if (this.#data?.serviceRequest && this.#serviceRequestTimer && !this.#serviceRequestTimer.cancelled) this.#abort();
  }

  #noise(): void {
    this.#lastActivity = this.#now;
    this.#heard = [];
  }

  #heardBytes(bytes: Uint8Array): void {
    const now = this.#now;
    const character = this.#characterMs();
    for (let i = 0; i < bytes.length; i++) {
      const at = now - (bytes.length - i) * character;
      const code = bytes[i];
      if (code === 0x0a || code === 0x0d) {
        this.#heard = [];
        continue;
      }
      this.#heard.push({ code, at });
      if (code === 0x21) this.#commandHeard(this.#heard, now - (bytes.length - 1 - i) * character);
      if (code === 0x21) this.#heard = [];
    }
    this.#lastActivity = now;
  }

  #commandHeard(characters: Array<{ code: number; at: number }>, endsAt: number): void {
    const text = String.fromCharCode(...characters.map((c) => c.code));
    const at = characters[0].at;
    const target = text[0];
    const mine = target === this.address || (target === "?" && text === "?!") || target === this.#faults.armed.answerFor;
    if (!mine) {
      this.#awake = false;
      return;
    }
    const ignore = (reason: string) => {
      this.events.push({ kind: "ignored", at, text, reason });
    };
    if (!this.#awake || at - this.#lastActivity > SLEEP_AFTER_MS) {
      this.#awake = false;
      ignore("asleep");
      return;
    }
    if (at - this.#breakEndedAt < (this.#options.wakeMs ?? 0)) return ignore("still waking");
    if (this.#breakEndedAt > this.#lastCommandEnd && at - this.#breakEndedAt < MARKING_MIN_MS) return ignore("no marking after the break");
    if (at < this.#ignoreUntil) return ignore("storing a new address");
    this.#lastCommandEnd = endsAt;
    this.events.push({ kind: "command", at, endsAt, text, sinceBreakMs: at - this.#breakEndedAt });
    const answer = this.#answer(text.slice(1, -1));
    if (answer !== undefined) this.#send(answer, endsAt);
  }

  /** The answer text without <CR><LF>, or undefined for a command this sensor does not know. */
  #answer(body: string): string | undefined {
    const a = this.address;
    const data = this.#data;
    // A command other than D during a concurrent measurement aborts it (v1.3 §4.4.7.1).
    if (data && !data.serviceRequest && this.#now < data.readyAt && body[0] !== "D") this.#abort();
    if (body === "") return a;
    if (body === "I") {
      const id = this.#options.identity;
      return `${a}${id.sdi12Version}${id.vendor.padEnd(8).slice(0, 8)}${id.model.padEnd(6).slice(0, 6)}${id.version.padEnd(3).slice(0, 3)}${id.extra ?? ""}`;
    }
    let match = /^A([0-9A-Za-z])$/.exec(body);
    if (match) {
      this.address = match[1];
      this.#ignoreUntil = this.#now + ADDRESS_CHANGE_BUSY_MS;
      return this.address;
    }
    match = /^(M|C|V|HA)(C?)([1-9]?)$/.exec(body);
    if (match && !(match[1] === "V" && (match[2] || match[3])) && !(match[1] === "HA" && (match[2] || match[3]))) {
      return this.#start(match[1], match[1] === "HA" || match[2] === "C", match[3]);
    }
    match = /^D([0-9]{1,3})$/.exec(body);
    if (match) return this.#page(Number(match[1]));
    match = /^R(C?)([0-9])$/.exec(body);
    if (match) return this.#continuous(match[1] === "C", match[2]);
    match = /^I(M|C|V|HA)(C?)([1-9]?)$/.exec(body);
    if (match) return this.#header(match[1], this.#options.measurements[match[1] + match[3]]);
    match = /^I(M|C|V|HA|R)(C?)([0-9]?)_([0-9]{3})$/.exec(body);
    if (match) return this.#metadata(match[1] + match[3], match[1] === "HA" || match[2] === "C", Number(match[4]));
    return undefined;
  }

  #header(kind: string, spec: Sdi12MeasurementSpec | undefined): string {
    const count = spec ? spec.read(this.#now).length : 0;
    const digits = kind === "C" ? 2 : kind === "HA" ? 3 : 1;
    return `${this.address}${String(spec?.seconds ?? 0).padStart(3, "0")}${String(count).padStart(digits, "0")}`;
  }

  #start(kind: string, crc: boolean, group: string): string {
    const key = kind + group;
    const spec = this.#options.measurements[key];
    this.#cancelServiceRequest();
    this.#data = undefined;
    const header = this.#header(kind, spec);
    if (!spec) return header;
    const serviceRequest = (kind === "M" || kind === "V") && spec.seconds > 0;
    const readyAt = this.#now + (spec.readyMs ?? spec.seconds * 1000) + this.#answerTimeMs(header);
    this.#data = {
      key, readyAt, values: spec.read(this.#now), crc, decimals: spec.decimals,
      pageCharacters: kind === "M" || kind === "V" ? 35 : 75, serviceRequest,
    };
    if (serviceRequest && this.#options.serviceRequest !== false) {
      const timer = { cancelled: false };
      this.#serviceRequestTimer = timer;
      this.#tap.bus.scheduler.at(readyAt, () => {
        if (timer.cancelled) return;
        this.#serviceRequestTimer = undefined;
        this.#sendNow(this.address);
      });
    }
    return header;
  }

  #continuous(crc: boolean, index: string): string {
    const spec = this.#options.measurements[`R${index}`];
    const values = spec ? spec.read(this.#now) : [];
    const body = this.address + values.map((v, i) => formatValue(v, this.#decimals(spec?.decimals, i))).join("");
    return crc ? appendSdi12Crc(body) : body;
  }

  #page(page: number): string {
    const data = this.#data;
    const empty = data?.crc ? appendSdi12Crc(this.address) : this.address;
    if (!data || !data.values || this.#now < data.readyAt) return empty;
    const pages: string[] = [];
    let current = "";
    data.values.forEach((value, i) => {
      const text = formatValue(value, this.#decimals(data.decimals, i));
      if (current.length + text.length > data.pageCharacters) {
        pages.push(current);
        current = "";
      }
      current += text;
    });
    if (current) pages.push(current);
    if (page >= pages.length) return empty;
    const body = this.address + pages[page];
    return data.crc ? appendSdi12Crc(body) : body;
  }

  #metadata(key: string, crc: boolean, parameter: number): string {
    const fields = this.#options.measurements[key]?.metadata?.[parameter - 1];
    const body = fields ? `${this.address},${fields.join(",")};` : this.address;
    return crc ? appendSdi12Crc(body) : body;
  }

  #decimals(decimals: number | readonly number[] | undefined, index: number): number {
    if (decimals === undefined) return 2;
    return typeof decimals === "number" ? decimals : decimals[index] ?? 2;
  }

  #abort(): void {
    this.#cancelServiceRequest();
    if (this.#data) this.#data.values = undefined;
  }

  #cancelServiceRequest(): void {
    if (this.#serviceRequestTimer) this.#serviceRequestTimer.cancelled = true;
    this.#serviceRequestTimer = undefined;
  }

  #answerTimeMs(text: string): number {
    return (text.length + 2) * this.#characterMs();
  }

  /** Answers `text` after the marking that follows the command, with the armed faults. */
  #send(text: string, commandEndsAt: number): void {
    const faults = this.#faults.take();
    if (faults.silent) {
      this.events.push({ kind: "answer", at: this.#now, text: "", fault: "silent" });
      return;
    }
    const delay = faults.lateMs ?? this.#options.answerDelayMs ?? 9;
    this.#tap.bus.scheduler.at(commandEndsAt + delay, () => this.#sendNow(text, faults));
  }

  #sendNow(text: string, faults: Sdi12Faults = {}): void {
    let line = text;
    if (faults.wrongCrc) line = line.slice(0, -1) + String.fromCharCode(0x40 | ((line.charCodeAt(line.length - 1) + 1) & 0x3f));
    const fault = faultLabel(faults);
    this.events.push({ kind: "answer", at: this.#now, text, ...(fault ? { fault } : {}) });
    sendAnswer(this.#tap, Uint8Array.from(`${line}\r\n`, (c) => c.charCodeAt(0)), faults, this.#random, 0x7f);
    this.#lastActivity = this.#tap.busyUntil;
  }

}
