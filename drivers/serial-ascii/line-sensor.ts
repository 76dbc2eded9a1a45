/**
 * An RS232 sensor that prints text lines: either it streams them on its own ("$TEMP,21.4,C" every
 * second) or it answers a prompt. A reading takes the first good line the channel wants within
 * the timeout (after sending the prompt, if there is one). Lines with line errors, control
 * characters or no end are bad: they are counted, never read, and if no good line follows the
 * reading is a BadResponse fault rather than a timeout.
 */
import type { HealthCounters } from "../../modules/health/counters.js";
import type { TimerHandle } from "../../modules/platform/clock.js";
import type { SerialPortName } from "../../modules/platform/io.js";
import type { Platform } from "../../modules/platform/platform.js";
import { BusQueue } from "../serial-port/bus-queue.js";
import { type MeasureCallback, countOutcome, unanswered } from "../serial-port/measure-result.js";
import {
  CONFIG_OK, type ConfigResult, type PortSettings, changePortSettings, checkCount, checkDuration, refused,
} from "../serial-port/port-settings.js";
import { SerialLine } from "../serial-port/serial-line.js";
import { type FieldExtraction, type LineExtractor, compileExtraction } from "./extraction.js";

export interface AsciiSensorSettings extends PortSettings {
  /** Sent before each reading (e.g. "READ\r\n"); absent for a sensor that streams. */
  prompt?: string;
  /** How long a reading waits for a good line. */
  timeoutMs: number;
  /** Prompts re-sent after a failed reading (prompted sensors only). */
  retries: number;
  /** Longest line; a longer one is garbage. */
  maxLineLength: number;
  extraction: FieldExtraction;
}

export type AsciiSensorChange = Partial<AsciiSensorSettings>;

export interface AsciiSensorOptions extends AsciiSensorChange {
  extraction: FieldExtraction;
  port?: SerialPortName;
  counterPrefix?: string;
}

export type AsciiPlatform = Pick<Platform, "io" | "clock" | "timers">;

const DEFAULTS = {
  baud: 9600, dataBits: 8, parity: "none", stopBits: 1, softwareParity: false, timeoutMs: 2000, retries: 1, maxLineLength: 120,
} as const;

const LF = 0x0a;
const CR = 0x0d;

interface Compiled {
  settings: AsciiSensorSettings;
  extractor: LineExtractor;
}

function compile(current: AsciiSensorSettings, change: AsciiSensorChange): Compiled | string {
  const port = changePortSettings(current, change);
  if (typeof port === "string") return port;
  const settings: AsciiSensorSettings = {
    ...port,
    timeoutMs: change.timeoutMs ?? current.timeoutMs,
    retries: change.retries ?? current.retries,
    maxLineLength: change.maxLineLength ?? current.maxLineLength,
    extraction: change.extraction ?? current.extraction,
  };
  const prompt = "prompt" in change ? change.prompt : current.prompt;
  if (prompt !== undefined) settings.prompt = prompt;
  const problem = checkDuration("timeoutMs", settings.timeoutMs, 10, 600_000) ?? checkCount("retries", settings.retries, 0, 5) ??
    checkCount("maxLineLength", settings.maxLineLength, 8, 1024) ??
    (settings.prompt !== undefined && !/^[\x20-\x7e\r\n]{1,64}$/.test(settings.prompt) ? "prompt must be 1..64 printable characters" : undefined);
  if (problem) return problem;
  const extractor = compileExtraction(settings.extraction);
  return typeof extractor === "string" ? extractor : { settings, extractor };
}

interface Reading {
  lastProblem: string | undefined;
  finish(values: number[] | undefined): void;
}

export class SerialAsciiSensor {
  readonly #platform: AsciiPlatform;
  readonly #counters: HealthCounters;
  readonly #prefix: string;
  readonly #line: SerialLine;
  readonly #bus = new BusQueue();
  #compiled: Compiled;
  #partial: number[] = [];
  #partialBad: string | undefined;
  /** Framing errors with no data since the last good line. */
  #heldLine = 0;
  #reading: Reading | undefined;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(platform: AsciiPlatform, counters: HealthCounters, options: AsciiSensorOptions) {
    const compiled = compile({ ...DEFAULTS, extraction: options.extraction }, options);
    if (typeof compiled === "string") throw new Error(`serial ASCII settings: ${compiled}`);
    this.#compiled = compiled;
    this.#platform = platform;
    this.#counters = counters;
    this.#prefix = options.counterPrefix ?? "ascii";
    this.#line = new SerialLine({ Serial: platform.io.Serial, clock: platform.clock }, options.port ?? "rs232", compiled.settings);
    this.#line.listener = {
      onBytes: (bytes) => this.#received(bytes),
      onLineError: (kind) => {
        counters.increment(`${this.#prefix}.line.${kind}`);
        // A framing error with no character around it is the line held in a break, not a bad line.
        if (kind === "framing" && !this.#partial.length) this.#heldLine++;
        else this.#partialBad = `${kind} error`;
      },
    };
  }

  get settings(): AsciiSensorSettings {
    return { ...this.#compiled.settings };
  }

  /** Checks a change now and applies it between readings; a bad change alters nothing. */
  reconfigure(change: AsciiSensorChange): ConfigResult {
    const next = compile(this.#compiled.settings, change);
    if (typeof next === "string") return refused(next);
    this.#bus.acquire((release) => {
      this.#compiled = next;
      this.#line.reframe(next.settings);
      this.#partial = [];
      this.#partialBad = undefined;
      release();
    });
    return CONFIG_OK;
  }

  /** One reading: the values of the first good line this channel wants, or a fault. */
  measure(done: MeasureCallback): void {
    this.#bus.acquire((release) => {
      const { settings } = this.#compiled;
      const tries = settings.prompt === undefined ? 1 : settings.retries + 1;
      let attempt = 0;
      let lastProblem: string | undefined;
      const finish: MeasureCallback = (result) => {
        release();
        countOutcome(this.#counters, this.#prefix, result);
        if (!this.#closed) done(result);
      };
      const tryOnce = () => {
        this.#read(settings, (values, problem) => {
          if (values) {
            finish({ ok: true, value: values });
            return;
          }
          lastProblem = problem ?? lastProblem;
          if (++attempt >= tries) {
            finish(unanswered(settings.prompt === undefined ? "line" : "prompt", tries, lastProblem, this.#heldLine));
            return;
          }
          this.#counters.increment(`${this.#prefix}.retry`);
          tryOnce();
        });
      };
      tryOnce();
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#bus.clear();
    this.#platform.timers.clear(this.#timer);
    this.#reading = undefined;
    this.#line.close();
  }

  #read(settings: AsciiSensorSettings, done: (values: number[] | undefined, problem: string | undefined) => void): void {
    const reading: Reading = {
      lastProblem: undefined,
      finish: (values) => {
        this.#platform.timers.clear(this.#timer);
        this.#reading = undefined;
        done(values, reading.lastProblem);
      },
    };
    this.#reading = reading;
    if (settings.prompt !== undefined) {
      // A half line from before the prompt is not the answer.
      this.#partial = [];
      this.#partialBad = undefined;
      const prompt = Uint8Array.from(settings.prompt, (c) => c.charCodeAt(0));
      if (this.#line.write(prompt) === undefined) reading.lastProblem = "the UART refused the prompt";
    }
    this.#timer = this.#platform.timers.set(() => {
      this.#line.poll();
      if (this.#reading === reading) {
        if (this.#partialBad) reading.lastProblem = this.#partialBad;
        else if (this.#partial.length) reading.lastProblem = `line without an end (${this.#partial.length} characters)`;
        reading.finish(undefined);
      }
    }, settings.timeoutMs);
  }

  #received(bytes: Uint8Array): void {
    const max = this.#compiled.settings.maxLineLength;
    for (const byte of bytes) {
      if (byte === LF) {
        this.#lineEnded();
        continue;
      }
      if (byte === CR) continue;
      if (byte < 0x20 || byte > 0x7e) this.#partialBad = `control byte 0x${byte.toString(16)}`;
      if (this.#partial.length < max) this.#partial.push(byte);
      else this.#partialBad = `line longer than ${max}`;
    }
  }

  #lineEnded(): void {
    const bad = this.#partialBad;
    const text = String.fromCharCode(...this.#partial);
    this.#partial = [];
    this.#partialBad = undefined;
    const reading = this.#reading;
    if (bad) {
      this.#counters.increment(`${this.#prefix}.bad_line`);
      if (reading) reading.lastProblem = bad;
      return;
    }
    if (!reading || !this.#compiled.extractor.wants(text)) return;
    const values = this.#compiled.extractor.extract(text);
    if (values.ok) {
      this.#heldLine = 0;
      reading.finish(values.value);
      return;
    }
    this.#counters.increment(`${this.#prefix}.bad_line`);
    reading.lastProblem = values.error;
  }
}
