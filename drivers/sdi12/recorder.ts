/**
 * The SDI-12 data recorder (bus master) for several sensors on one bus. Operations queue for the
 * bus; a concurrent measurement (aC!, aHA!) frees the bus while its sensor works, and holds only
 * its address, so other sensors are read meanwhile. Every operation ends in exactly one callback
 * with a value or a fault; faults and retries are counted as `sdi12.*` health counters.
 */
import type { HealthCounters } from "../../modules/health/counters.js";
import type { Platform } from "../../modules/platform/platform.js";
import type { SerialPortName } from "../../modules/platform/io.js";
import { SensorFault } from "../../modules/records/sample.js";
import { BusQueue } from "../serial-port/bus-queue.js";
import { type MeasureCallback, type Outcome, countOutcome, failure } from "../serial-port/measure-result.js";
import type { Parsed } from "../serial-port/parsed.js";
import { CONFIG_OK, type ConfigResult, refused } from "../serial-port/port-settings.js";
import { SerialLine } from "../serial-port/serial-line.js";
import {
  ADDRESS_QUERY_COMMAND, type MeasurementRequest, acknowledgeCommand, changeAddressCommand, checkMeasurementRequest,
  dataHasCrc, identifyCommand, identifyMeasurementCommand, isSdi12Address, metadataCommand,
} from "./commands.js";
import { Sdi12Link } from "./link.js";
import { type MeasurementContext, awaitServiceRequest, collectData, readContinuous, startMeasurement } from "./measurement.js";
import {
  type MeasurementHeader, type Sdi12Identification, parseAddressReply, parseIdentification,
  parseMeasurementHeader, parseMetadata,
} from "./responses.js";
import { type ScanEntry, type ScanOptions, scanBus } from "./scan.js";
import { ADDRESS_CHANGE_SETTLE_MS, SDI12_TIMING, type Sdi12Timing, checkSdi12Timing } from "./timing.js";
import { type RetryPolicy, SDI12_RETRY, checkRetryPolicy, transact } from "./transaction.js";

export type Sdi12Platform = Pick<Platform, "io" | "clock" | "timers">;

/** What can change at run time; the frame itself is fixed by SDI-12 at 1200 baud 7E1. */
export interface Sdi12Settings {
  /** Frame 7E1 in software over an 8N1 UART (nRF52). */
  softwareParity: boolean;
  timing: Sdi12Timing;
  retry: RetryPolicy;
}

export interface Sdi12SettingsChange {
  softwareParity?: boolean;
  timing?: Partial<Sdi12Timing>;
  retry?: Partial<RetryPolicy>;
}

export interface Sdi12RecorderOptions extends Sdi12SettingsChange {
  port?: SerialPortName;
  /** Counter names start with this; "sdi12" unless two buses need telling apart. */
  counterPrefix?: string;
}

export const SDI12_BAUD = 1200;

function mergeSettings(current: Sdi12Settings, change: Sdi12SettingsChange): Sdi12Settings | string {
  const next: Sdi12Settings = {
    softwareParity: change.softwareParity ?? current.softwareParity,
    timing: { ...current.timing, ...change.timing },
    retry: { ...current.retry, ...change.retry },
  };
  if (typeof next.softwareParity !== "boolean") return "softwareParity must be true or false";
  return checkSdi12Timing(next.timing) ?? checkRetryPolicy(next.retry) ?? next;
}

export class Sdi12Recorder {
  readonly #counters: HealthCounters;
  readonly #prefix: string;
  readonly #line: SerialLine;
  readonly #link: Sdi12Link;
  readonly #bus = new BusQueue();
  readonly #context: MeasurementContext;
  /** Addresses with a concurrent measurement under way, and the jobs waiting for each. */
  readonly #heldAddresses = new Map<string, Array<(unlock: () => void) => void>>();
  #settings: Sdi12Settings;
  #closed = false;

  constructor(platform: Sdi12Platform, counters: HealthCounters, options: Sdi12RecorderOptions = {}) {
    const settings = mergeSettings({ softwareParity: false, timing: SDI12_TIMING, retry: SDI12_RETRY }, options);
    if (typeof settings === "string") throw new Error(`SDI-12 settings: ${settings}`);
    this.#settings = settings;
    this.#counters = counters;
    this.#prefix = options.counterPrefix ?? "sdi12";
    this.#line = new SerialLine({ Serial: platform.io.Serial, clock: platform.clock }, options.port ?? "sdi12", {
      baud: SDI12_BAUD, dataBits: 7, parity: "even", stopBits: 1, softwareParity: settings.softwareParity,
    });
    this.#link = new Sdi12Link(this.#line, platform.timers, platform.clock, settings.timing);
    this.#link.onStrayBytes = (count) => counters.increment(`${this.#prefix}.stray_bytes`, count);
    this.#link.onLineError = (kind) => counters.increment(`${this.#prefix}.line.${kind}`);
    this.#context = {
      link: this.#link,
      timers: platform.timers,
      clock: platform.clock,
      policy: settings.retry,
      onRetry: () => counters.increment(`${this.#prefix}.retry`),
      onUnexpectedLine: () => counters.increment(`${this.#prefix}.unexpected_line`),
    };
  }

  get settings(): Sdi12Settings {
    return { softwareParity: this.#settings.softwareParity, timing: { ...this.#settings.timing }, retry: { ...this.#settings.retry } };
  }

  /** Checks a change now and applies it when the bus is next free; a bad change alters nothing. */
  reconfigure(change: Sdi12SettingsChange): ConfigResult {
    const next = mergeSettings(this.#settings, change);
    if (typeof next === "string") return refused(next);
    this.#bus.acquire((release) => {
      this.#settings = next;
      this.#link.timing = next.timing;
      this.#context.policy = next.retry;
      this.#line.reframe({ ...this.#line.settings, softwareParity: next.softwareParity });
      release();
    });
    return CONFIG_OK;
  }

  /** a! → a: is the sensor there? */
  acknowledge(address: string, done: (outcome: Outcome<string>) => void): void {
    this.#simple(address, acknowledgeCommand(address), (text) => parseAddressReply(text, address), this.#settings.retry, done);
  }

  /** ?! → the address of the only sensor on the bus (several answer at once: a bad response). */
  queryAddress(done: (outcome: Outcome<string>) => void): void {
    this.#simple("?", ADDRESS_QUERY_COMMAND, (text) => parseAddressReply(text), this.#settings.retry, done);
  }

  /** aI! → vendor, model, version. */
  identify(address: string, done: (outcome: Outcome<Sdi12Identification>) => void): void {
    this.#simple(address, identifyCommand(address), (text) => parseIdentification(text, address), this.#settings.retry, done);
  }

  /** aAb!: the outcome is the address the sensor now has (its old one when it cannot change). */
  changeAddress(address: string, newAddress: string, done: (outcome: Outcome<string>) => void): void {
    if (!isSdi12Address(newAddress)) {
      done(failure(SensorFault.SensorError, `"${newAddress}" is not an SDI-12 address`));
      return;
    }
    this.#exclusive(address, done, (finish) => {
      transact(this.#context, {
        command: changeAddressCommand(address, newAddress),
        address: newAddress,
        parse: (text) => (text === address ? { ok: true, value: address } : parseAddressReply(text, newAddress)),
        policy: this.#settings.retry,
      }, (outcome) => {
        this.#link.forgetAddress();
        // The sensor may ignore commands for a second while it stores the new address.
        if (outcome.ok) this.#context.timers.set(() => finish(outcome), ADDRESS_CHANGE_SETTLE_MS);
        else finish(outcome);
      });
    });
  }

  /**
   * Runs a measurement to the end: start, wait, read every page. The callback gets the values
   * in the sensor's order, or a fault; nothing in between.
   */
  measure(request: MeasurementRequest, done: MeasureCallback): void {
    const invalid = checkMeasurementRequest(request);
    if (invalid) {
      done(failure(SensorFault.SensorError, invalid));
      return;
    }
    this.#counters.increment(`${this.#prefix}.measurements`);
    const finished: MeasureCallback = (result) => {
      countOutcome(this.#counters, this.#prefix, result);
      if (!this.#closed) done(result);
    };
    this.#withAddress(request.address, (unlock) => {
      const end: MeasureCallback = (result) => {
        unlock();
        finished(result);
      };
      this.#bus.acquire((release) => {
        const endOnBus: MeasureCallback = (result) => {
          release();
          end(result);
        };
        if (request.kind === "R") {
          readContinuous(this.#context, request, endOnBus);
          return;
        }
        startMeasurement(this.#context, request, (header) => {
          if (!header.ok) {
            endOnBus(header);
            return;
          }
          const { seconds, count } = header.value;
          if (request.kind === "C" || request.kind === "HA") {
            // Concurrent: the bus is free for other sensors until this one's data are due.
            release();
            this.#context.timers.set(() => {
              if (this.#closed) return;
              this.#bus.acquire((releaseAgain) => {
                collectData(this.#context, request, count, (result) => {
                  releaseAgain();
                  end(result);
                });
              });
            }, seconds * 1000);
            return;
          }
          const collect = () => collectData(this.#context, request, count, endOnBus);
          if (seconds === 0) collect();
          else awaitServiceRequest(this.#context, request.address, seconds, collect);
        });
      });
    });
  }

  /** v1.4 aIM!, aIC!, aIV!, aIHA!: the header a measurement would give, without measuring. */
  identifyMeasurement(request: MeasurementRequest, done: (outcome: Outcome<MeasurementHeader>) => void): void {
    const invalid = checkMeasurementRequest(request) ?? (request.kind === "R" ? "aR has no identify-measurement header" : undefined);
    if (invalid) {
      done(failure(SensorFault.SensorError, invalid));
      return;
    }
    const parse = (text: string) => parseMeasurementHeader(text, request.address, request.kind);
    this.#simple(request.address, identifyMeasurementCommand(request), parse, this.#settings.retry, done);
  }

  /** v1.4 aIM_001!..: the SHEF code, units and notes of one parameter (1-based) of a measurement. */
  metadata(request: MeasurementRequest, parameter: number, done: (outcome: Outcome<string[]>) => void): void {
    const invalid = checkMeasurementRequest(request) ??
      (Math.floor(parameter) === parameter && parameter >= 1 && parameter <= 999 ? undefined : `parameter must be 1..999, not ${parameter}`);
    if (invalid) {
      done(failure(SensorFault.SensorError, invalid));
      return;
    }
    const parse = (text: string) => parseMetadata(text, request.address, dataHasCrc(request));
    this.#simple(request.address, metadataCommand(request, parameter), parse, this.#settings.retry, done);
  }

  /**
   * Transparent mode for the console: any command ("0XCAL!"), with break and retries; the
   * outcome is the response line as text. Only the address of the reply is checked.
   */
  transparent(command: string, done: (outcome: Outcome<string>) => void): void {
    const address = command[0];
    if (command.length < 2 || command[command.length - 1] !== "!" || command.indexOf("!") !== command.length - 1 ||
        !(isSdi12Address(address) || address === "?") || !/^[\x20-\x7e]+$/.test(command)) {
      done(failure(SensorFault.SensorError, `"${command}" is not an SDI-12 command (address, letters, "!")`));
      return;
    }
    const parse = (text: string): Parsed<string> =>
      address === "?" || text[0] === address ? { ok: true, value: text } : { ok: false, error: `answer from "${text[0]}"` };
    this.#simple(address, command, parse, this.#settings.retry, done);
  }

  /** Finds the sensors on the bus (a! on each address, then aI!) for the console. */
  scan(options: ScanOptions, done: (found: ScanEntry[]) => void): void {
    scanBus({
      probe: (address, reply) => this.#simple(address, acknowledgeCommand(address), (text) => parseAddressReply(text, address), options.retry ?? { retries: 2, sequences: 1 }, reply),
      identify: (address, reply) => this.identify(address, reply),
    }, options, done);
  }

  /** Stops: the port closes, queued work is dropped, nothing more is called back. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#bus.clear();
    this.#link.abandon();
    this.#line.close();
  }

  /** One retried command to one address, with the bus and the address held. */
  #simple<T>(address: string, command: string, parse: (text: string) => Parsed<T>, policy: RetryPolicy, done: (outcome: Outcome<T>) => void): void {
    this.#exclusive(address, done, (finish) => {
      transact(this.#context, { command, address, parse, policy }, finish);
    });
  }

  #exclusive<T>(address: string, done: (outcome: Outcome<T>) => void, run: (finish: (outcome: Outcome<T>) => void) => void): void {
    this.#withAddress(address, (unlock) => {
      this.#bus.acquire((release) => {
        run((outcome) => {
          release();
          unlock();
          countOutcome(this.#counters, this.#prefix, outcome);
          if (!this.#closed) done(outcome);
        });
      });
    });
  }

  /** Runs `job` once no concurrent measurement holds `address`. */
  #withAddress(address: string, job: (unlock: () => void) => void): void {
    const waiting = this.#heldAddresses.get(address);
    if (waiting) {
      waiting.push(job);
      return;
    }
    this.#heldAddresses.set(address, []);
    const unlock = () => {
      const queue = this.#heldAddresses.get(address);
      const next = queue?.shift();
      if (next) next(unlock);
      else this.#heldAddresses.delete(address);
    };
    job(unlock);
  }
}
