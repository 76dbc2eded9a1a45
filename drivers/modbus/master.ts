/**
 * Modbus RTU master on a half-duplex RS485 bus. One transaction at a time: wait for 3.5
 * characters of silence, assert the driver-enable line, send the request, release the line once
 * the last stop bit has left, then collect the response until 3.5 characters of silence and
 * check it against the request. Silence and invalid answers are retried; an exception is an
 * answer and is reported with its code. Faults are counted as `modbus.*` health counters.
 */
import type { HealthCounters } from "../../modules/health/counters.js";
import type { TimerHandle } from "../../modules/platform/clock.js";
import { DigitalMode, type DigitalIO, type SerialPortName } from "../../modules/platform/io.js";
import type { Platform } from "../../modules/platform/platform.js";
import { SensorFault } from "../../modules/records/sample.js";
import { BusQueue } from "../serial-port/bus-queue.js";
import { type MeasureCallback, type Outcome, countOutcome, failure, unanswered } from "../serial-port/measure-result.js";
import {
  CONFIG_OK, type ConfigResult, type PortSettings, changePortSettings, checkCount, checkDuration, refused,
} from "../serial-port/port-settings.js";
import { SerialLine } from "../serial-port/serial-line.js";
import {
  EXCEPTION_NAMES, type ModbusReply, type ModbusRequest, WriteMultiple, WriteSingle, checkRequest, decodeResponse, encodeRequest,
} from "./frames.js";
import { modbusSilence } from "./timing.js";
import { type ModbusPoint, checkPoint, encodeRegisters, pointValue, registerCount } from "./values.js";

export interface ModbusSettings extends PortSettings {
  /** How long to wait for the first byte of a response after the request's last byte. */
  responseTimeoutMs: number;
  /** Tries after the first when the answer is missing or invalid. */
  retries: number;
}

export const MODBUS_SETTINGS: Readonly<ModbusSettings> = Object.freeze({
  baud: 9600, dataBits: 8, parity: "even", stopBits: 1, softwareParity: false, responseTimeoutMs: 300, retries: 2,
});

export interface ModbusMasterOptions extends Partial<ModbusSettings> {
  port?: SerialPortName;
  counterPrefix?: string;
}

export type ModbusPlatform = Pick<Platform, "io" | "clock" | "timers" | "pins">;

/** The longest RTU frame. */
const MAX_FRAME = 256;

function mergeSettings(current: ModbusSettings, change: Partial<ModbusSettings>): ModbusSettings | string {
  const port = changePortSettings(current, change);
  if (typeof port === "string") return port;
  const next: ModbusSettings = {
    ...port,
    responseTimeoutMs: change.responseTimeoutMs ?? current.responseTimeoutMs,
    retries: change.retries ?? current.retries,
  };
  if (next.dataBits !== 8) return "Modbus RTU needs 8 data bits";
  return checkDuration("responseTimeoutMs", next.responseTimeoutMs, 10, 10_000) ?? checkCount("retries", next.retries, 0, 5) ?? next;
}

interface Reception {
  bytes: number[];
  lineErrors: number;
  /** A byte or a line error has arrived. */
  started: boolean;
  finish(frame: Uint8Array | undefined, problem?: string): void;
}

function exceptionOutcome<T>(code: number): Outcome<T> {
  return { ok: false, fault: SensorFault.SensorError, detail: `exception ${code} (${EXCEPTION_NAMES[code] ?? "unknown"})`, code };
}

export class ModbusMaster {
  readonly #platform: ModbusPlatform;
  readonly #counters: HealthCounters;
  readonly #prefix: string;
  readonly #line: SerialLine;
  readonly #driverEnable: DigitalIO;
  readonly #bus = new BusQueue();
  #settings: ModbusSettings;
  #closed = false;
  /** When the last frame on the bus ended (sent or received). */
  #lastFrameEnd = -Infinity;
  #lastByteAt = -Infinity;
  #lineErrorsSinceClean = 0;
  #timer: TimerHandle | undefined;
  #releaseTimer: TimerHandle | undefined;
  /** The response being collected, while a transaction waits for one. */
  #receiving: Reception | undefined;

  constructor(platform: ModbusPlatform, counters: HealthCounters, options: ModbusMasterOptions = {}) {
    const settings = mergeSettings(MODBUS_SETTINGS, options);
    if (typeof settings === "string") throw new Error(`Modbus settings: ${settings}`);
    this.#settings = settings;
    this.#platform = platform;
    this.#counters = counters;
    this.#prefix = options.counterPrefix ?? "modbus";
    this.#driverEnable = new platform.io.Digital({ pin: platform.pins.rs485DriverEnable, mode: DigitalMode.Output });
    this.#driverEnable.write(0);
    this.#line = new SerialLine({ Serial: platform.io.Serial, clock: platform.clock }, options.port ?? "rs485", settings);
    this.#line.listener = {
      onBytes: (bytes) => this.#received(bytes),
      onLineError: (kind) => this.#lineError(kind),
    };
  }

  get settings(): ModbusSettings {
    return { ...this.#settings };
  }

  /** Checks a change now and applies it between transactions; a bad change alters nothing. */
  reconfigure(change: Partial<ModbusSettings>): ConfigResult {
    const next = mergeSettings(this.#settings, change);
    if (typeof next === "string") return refused(next);
    this.#bus.acquire((release) => {
      this.#settings = next;
      this.#line.reframe(next);
      release();
    });
    return CONFIG_OK;
  }

  /** One request with retries; an exception response is a SensorError outcome carrying its code. */
  request(request: ModbusRequest, done: (outcome: Outcome<ModbusReply>) => void): void {
    const invalid = checkRequest(request);
    if (invalid) {
      done(failure(SensorFault.SensorError, invalid));
      return;
    }
    this.#bus.acquire((release) => {
      this.#transact(request, (outcome) => {
        release();
        countOutcome(this.#counters, this.#prefix, outcome);
        if (!this.#closed) done(outcome);
      });
    });
  }

  /** Reads one point as an engineering value. */
  readPoint(point: ModbusPoint, done: (outcome: Outcome<number>) => void): void {
    const invalid = checkPoint(point);
    if (invalid) {
      done(failure(SensorFault.SensorError, invalid));
      return;
    }
    this.request({ unit: point.unit, function: point.function, address: point.address, count: registerCount(point.type) }, (outcome) => {
      if (!outcome.ok) done(outcome);
      else if (outcome.value.kind !== "registers") done(failure(SensorFault.BadResponse, "no registers in the answer"));
      else done({ ok: true, value: pointValue(point, outcome.value.registers) });
    });
  }

  /** Reads `points` in order: the values, or the first fault. */
  measure(points: readonly ModbusPoint[], done: MeasureCallback): void {
    const values: number[] = [];
    const next = () => {
      if (values.length === points.length) {
        done({ ok: true, value: values });
        return;
      }
      this.readPoint(points[values.length], (outcome) => {
        if (!outcome.ok) {
          done(outcome);
          return;
        }
        values.push(outcome.value);
        next();
      });
    };
    next();
  }

  /** Writes registers: function 06 for one, 16 for several; the outcome is how many were written. */
  writeRegisters(unit: number, address: number, values: readonly number[], done: (outcome: Outcome<number>) => void): void {
    const request: ModbusRequest = values.length === 1
      ? { unit, function: WriteSingle, address, value: values[0] }
      : { unit, function: WriteMultiple, address, values };
    this.request(request, (outcome) => {
      if (!outcome.ok) done(outcome);
      else if (outcome.value.kind !== "written") done(failure(SensorFault.BadResponse, "the answer is not a write echo"));
      else done({ ok: true, value: outcome.value.count });
    });
  }

  /** Writes an engineering value to a point (inverse of scale and offset). */
  writePoint(point: ModbusPoint, value: number, done: (outcome: Outcome<number>) => void): void {
    const invalid = checkPoint(point);
    if (invalid) {
      done(failure(SensorFault.SensorError, invalid));
      return;
    }
    const raw = (value - (point.offset ?? 0)) / (point.scale ?? 1);
    this.writeRegisters(point.unit, point.address, encodeRegisters(point.type === "float32" ? raw : Math.round(raw), point.type, point.order), done);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#bus.clear();
    this.#platform.timers.clear(this.#timer);
    this.#platform.timers.clear(this.#releaseTimer);
    this.#receiving = undefined;
    this.#driverEnable.write(0);
    this.#driverEnable.close();
    this.#line.close();
  }

  #now(): number {
    return this.#platform.clock.monotonic();
  }

  #after(ms: number, run: () => void): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = this.#platform.timers.set(() => {
      this.#timer = undefined;
      run();
    }, Math.max(0, Math.ceil(ms)));
  }

  #transact(request: ModbusRequest, done: (outcome: Outcome<ModbusReply>) => void): void {
    const frame = encodeRequest(request);
    const tries = this.#settings.retries + 1;
    let attempt = 0;
    let lastInvalid: string | undefined;
    const what = `unit ${request.unit} function ${request.function}`;
    const tryOnce = () => {
      this.#afterSilence(() => this.#send(frame, (response, problem) => {
        if (response) {
          const decoded = decodeResponse(response, request);
          if (decoded.ok) {
            this.#lineErrorsSinceClean = 0;
            done(decoded.value.kind === "exception" ? exceptionOutcome(decoded.value.code) : { ok: true, value: decoded.value });
            return;
          }
          lastInvalid = decoded.error;
        } else if (problem) {
          lastInvalid = problem;
        }
        if (++attempt >= tries) {
          done(unanswered(what, tries, lastInvalid, this.#lineErrorsSinceClean));
          return;
        }
        this.#counters.increment(`${this.#prefix}.retry`);
        tryOnce();
      }));
    };
    tryOnce();
  }

  /** Runs `then` once the bus has been silent for t3.5; bytes arriving meanwhile restart the wait. */
  #afterSilence(then: () => void): void {
    const wait = this.#lastFrameEnd + modbusSilence(this.#settings).t35Ms - this.#now();
    if (wait <= 0) then();
    else this.#after(wait, () => this.#afterSilence(then));
  }

  /** Sends one frame and collects the answer: a frame, or undefined with the problem (none: silence). */
  #send(frame: Uint8Array, finish: (response: Uint8Array | undefined, problem?: string) => void): void {
    this.#driverEnable.write(1);
    const lastBitAt = this.#line.write(frame);
    if (lastBitAt === undefined) {
      this.#driverEnable.write(0);
      finish(undefined, "the UART refused the request");
      return;
    }
    this.#lastFrameEnd = lastBitAt;
    // The transceiver must stop driving once the last stop bit is out, before the answer starts.
    this.#releaseTimer = this.#platform.timers.set(() => {
      this.#releaseTimer = undefined;
      this.#driverEnable.write(0);
    }, Math.max(0, Math.ceil(lastBitAt - this.#now())));
    this.#receiving = { bytes: [], lineErrors: 0, started: false, finish };
    this.#after(lastBitAt - this.#now() + this.#settings.responseTimeoutMs, () => {
      this.#line.poll();
      if (this.#receiving && !this.#receiving.started) this.#complete();
    });
  }

  #received(bytes: Uint8Array): void {
    const now = this.#now();
    this.#lastFrameEnd = now;
    this.#lastByteAt = now;
    const receiving = this.#receiving;
    if (!receiving) {
      this.#counters.increment(`${this.#prefix}.stray_bytes`, bytes.length);
      return;
    }
    for (let i = 0; i < bytes.length && receiving.bytes.length <= MAX_FRAME; i++) receiving.bytes.push(bytes[i]);
    this.#awaitSilence(receiving);
  }

  #lineError(kind: "parity" | "framing"): void {
    this.#counters.increment(`${this.#prefix}.line.${kind}`);
    this.#lineErrorsSinceClean++;
    const now = this.#now();
    this.#lastFrameEnd = now;
    this.#lastByteAt = now;
    const receiving = this.#receiving;
    if (!receiving) return;
    receiving.lineErrors++;
    this.#awaitSilence(receiving);
  }

  /** The frame ends after 3.5 characters with nothing on the line. */
  #awaitSilence(receiving: Reception): void {
    receiving.started = true;
    const t35 = modbusSilence(this.#settings).t35Ms;
    this.#after(t35, () => {
      this.#line.poll();
      const quietFor = this.#now() - this.#lastByteAt;
      if (quietFor + 1e-9 < t35) this.#awaitSilence(receiving);
      else this.#complete();
    });
  }

  #complete(): void {
    const receiving = this.#receiving;
    if (!receiving) return;
    this.#receiving = undefined;
    if (!receiving.started) receiving.finish(undefined);
    else if (receiving.lineErrors) receiving.finish(undefined, `${receiving.lineErrors} line error${receiving.lineErrors > 1 ? "s" : ""}`);
    else if (receiving.bytes.length > MAX_FRAME) receiving.finish(undefined, "frame longer than 256 bytes");
    else receiving.finish(Uint8Array.from(receiving.bytes));
  }
}
