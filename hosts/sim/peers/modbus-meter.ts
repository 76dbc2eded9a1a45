/**
 * A simulated Modbus RTU energy meter on the RS485 bus: input registers hold float32 readings in
 * CDAB word order (voltage, current, power, frequency, energy), holding registers its settings.
 * It frames requests by 3.5 characters of silence, answers after a turnaround, byte by byte,
 * and raises exceptions as a meter does (unknown register 02, bad quantity 03, function 01).
 * Faults are injected per answer; requests and answers are logged with their virtual times.
 */
import {
  type ModbusReply, type ModbusRequest, MAX_READ_REGISTERS, ReadHolding, ReadInput, WriteMultiple, WriteSingle,
  decodeRequest, encodeResponse,
} from "../../../drivers/modbus/frames.js";
import { modbusSilence } from "../../../drivers/modbus/timing.js";
import { encodeRegisters } from "../../../drivers/modbus/values.js";
import { characterTimeMs, completeFraming } from "../../../drivers/serial-port/framing.js";
import type { SerialFraming } from "../../../modules/platform/io.js";
import { SeededRandom } from "../seeded-random.js";
import type { SerialTap } from "../serial-bus.js";
import { type AnswerFaults, FaultPlan, faultLabel, sendAnswer } from "./fault-plan.js";

/** `lateMs` replaces the normal turnaround. */
export interface ModbusFaults extends AnswerFaults {
  wrongCrc?: boolean;
  /** Also answers requests for this unit (with its own unit number). */
  answerFor?: number;
  /** Answers with this exception code. */
  exception?: number;
}

export interface ModbusMeterOptions {
  unit?: number;
  framing?: SerialFraming;
  /** Time from the end of the request to the first byte of the answer. */
  turnaroundMs?: number;
  seed?: number | string;
}

export type ModbusPeerEvent =
  | { kind: "request"; at: number; endsAt: number; bytes: Uint8Array; valid: boolean }
  | { kind: "answer"; at: number; bytes: Uint8Array; fault?: string };

/** Input register map (float32, two registers each, CDAB). */
export const METER_INPUTS = Object.freeze({ voltage: 0, current: 2, activePower: 4, frequency: 6, energy: 8, powerFactor: 10 });
/** Holding registers: CT ratio (uint16), Modbus unit (uint16), serial number (uint32, CDAB). */
export const METER_HOLDINGS = Object.freeze({ ctRatio: 0, unit: 1, serial: 2 });

export class ModbusMeterPeer {
  unit: number;
  readonly events: ModbusPeerEvent[] = [];
  readonly holding = new Map<number, number>();
  readonly #tap: SerialTap;
  readonly #random: SeededRandom;
  readonly #turnaroundMs: number;
  readonly #faults = new FaultPlan<ModbusFaults>();
  #heard: number[] = [];
  #heardFrom = 0;
  #frameEnd: { cancelled: boolean } | undefined;
  #corrupt = false;

  constructor(tap: SerialTap, options: ModbusMeterOptions = {}) {
    this.#tap = tap;
    this.unit = options.unit ?? 1;
    this.#turnaroundMs = options.turnaroundMs ?? 10;
    this.#random = new SeededRandom(options.seed ?? `meter:${this.unit}`);
    tap.setFraming(options.framing ?? { baud: 9600, dataBits: 8, parity: "even", stopBits: 1 });
    this.holding.set(METER_HOLDINGS.ctRatio, 100);
    this.holding.set(METER_HOLDINGS.unit, this.unit);
    const serial = encodeRegisters(20_260_042, "uint32", "CDAB");
    this.holding.set(METER_HOLDINGS.serial, serial[0]);
    this.holding.set(METER_HOLDINGS.serial + 1, serial[1]);
    tap.listener = {
      onBytes: (bytes) => this.#heardBytes(bytes),
      onError: () => {
        this.#corrupt = true;
        this.#heardBytes(new Uint8Array(0));
      },
    };
  }

  inject(faults: ModbusFaults, answers = Infinity): void {
    this.#faults.inject(faults, answers);
  }

  holdBusLow(active: boolean): void {
    this.#tap.holdBreak(active);
  }

  /** The readings at a virtual time: a 230 V supply with a load that varies over the day. */
  readings(timeMs: number): Record<keyof typeof METER_INPUTS, number> {
    const day = (2 * Math.PI * timeMs) / 86_400_000;
    const current = 4.2 + 1.8 * Math.sin(day);
    const voltage = 230.4 + 2.1 * Math.sin(day * 3);
    const powerFactor = 0.93;
    return {
      voltage, current, powerFactor, frequency: 50.01,
      activePower: voltage * current * powerFactor,
      energy: 12_345.6 + (timeMs / 3_600_000) * 0.97,
    };
  }

  get #now(): number {
    return this.#tap.bus.scheduler.now;
  }

  #heardBytes(bytes: Uint8Array): void {
    const now = this.#now;
    if (!this.#heard.length) this.#heardFrom = now - bytes.length * this.#characterMs();
    for (const byte of bytes) this.#heard.push(byte);
    if (this.#frameEnd) this.#frameEnd.cancelled = true;
    const timer = { cancelled: false };
    this.#frameEnd = timer;
    this.#tap.bus.scheduler.at(now + modbusSilence(completeFraming(this.#tap.framing)).t35Ms, () => {
      if (!timer.cancelled) this.#frameHeard(now);
    });
  }

  #characterMs(): number {
    return characterTimeMs(completeFraming(this.#tap.framing));
  }

  #frameHeard(endsAt: number): void {
    const bytes = Uint8Array.from(this.#heard);
    const corrupt = this.#corrupt;
    this.#heard = [];
    this.#corrupt = false;
    const decoded = decodeRequest(bytes);
    this.events.push({ kind: "request", at: this.#heardFrom, endsAt, bytes, valid: decoded.ok && !corrupt });
    if (!decoded.ok || corrupt) return;
    const request = decoded.value;
    if (request.unit !== this.unit && request.unit !== this.#faults.armed.answerFor) return;
    const faults = this.#faults.take();
    if (faults.silent) {
      this.events.push({ kind: "answer", at: this.#now, bytes: new Uint8Array(0), fault: "silent" });
      return;
    }
    const reply: ModbusReply = faults.exception ? { kind: "exception", code: faults.exception } : this.#reply(request);
    const answer = encodeResponse({ ...request, unit: this.unit }, reply);
    this.#tap.bus.scheduler.at(endsAt + (faults.lateMs ?? this.#turnaroundMs), () => this.#send(answer, faults));
  }

  #reply(request: ModbusRequest): ModbusReply {
    switch (request.function) {
      case ReadInput:
      case ReadHolding: {
        if (request.count < 1 || request.count > MAX_READ_REGISTERS) return { kind: "exception", code: 3 };
        const registers: number[] = [];
        for (let i = 0; i < request.count; i++) {
          const value = request.function === ReadInput ? this.#input(request.address + i) : this.holding.get(request.address + i);
          if (value === undefined) return { kind: "exception", code: 2 };
          registers.push(value);
        }
        return { kind: "registers", registers };
      }
      case WriteSingle:
      case WriteMultiple: {
        const values = request.function === WriteSingle ? [request.value] : request.values;
        if (values.some((_, i) => !this.holding.has(request.address + i))) return { kind: "exception", code: 2 };
        values.forEach((value, i) => this.holding.set(request.address + i, value));
        return { kind: "written", address: request.address, count: values.length };
      }
      default:
        return { kind: "exception", code: 1 };
    }
  }

  #input(register: number): number | undefined {
    const readings = this.readings(this.#now);
    for (const [name, base] of Object.entries(METER_INPUTS) as Array<[keyof typeof METER_INPUTS, number]>) {
      if (register === base || register === base + 1) return encodeRegisters(readings[name], "float32", "CDAB")[register - base];
    }
    return undefined;
  }

  #send(answer: Uint8Array, faults: ModbusFaults): void {
    let bytes = answer;
    if (faults.wrongCrc) {
      bytes = bytes.slice();
      bytes[bytes.length - 1] ^= 0x5a;
    }
    const fault = faultLabel(faults);
    const wire = sendAnswer(this.#tap, bytes, faults, this.#random);
    this.events.push({ kind: "answer", at: this.#now, bytes: wire, ...(fault ? { fault } : {}) });
  }

}
