/**
 * Modbus RTU frames for functions 03, 04, 06 and 16 (docs/modbus.md): the request encoder and
 * decoder, and the response encoder and decoder. The master encodes requests and decodes
 * responses; the simulated meter does the opposite with the same code. Decoders never throw.
 */
import type { Parsed } from "../serial-port/parsed.js";
import { hasValidCrc, withCrc } from "./crc16.js";

export const ReadHolding = 3;
export const ReadInput = 4;
export const WriteSingle = 6;
export const WriteMultiple = 16;

export type ReadFunction = typeof ReadHolding | typeof ReadInput;

export type ModbusRequest =
  | { unit: number; function: ReadFunction; address: number; count: number }
  | { unit: number; function: typeof WriteSingle; address: number; value: number }
  | { unit: number; function: typeof WriteMultiple; address: number; values: readonly number[] };

export type ModbusReply =
  | { kind: "registers"; registers: number[] }
  | { kind: "written"; address: number; count: number }
  | { kind: "exception"; code: number };

export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: "illegal function",
  2: "illegal data address",
  3: "illegal data value",
  4: "server device failure",
  5: "acknowledge",
  6: "server device busy",
  8: "memory parity error",
  10: "gateway path unavailable",
  11: "gateway target device failed to respond",
};

/** Largest quantities (Modbus application protocol): 125 registers read, 123 written. */
export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;

function isRegister(value: number): boolean {
  return Math.floor(value) === value && value >= 0 && value <= 0xffff;
}

/** Why `request` cannot be sent, or undefined. */
export function checkRequest(request: ModbusRequest): string | undefined {
  if (!(Math.floor(request.unit) === request.unit && request.unit >= 1 && request.unit <= 247)) return `unit ${request.unit} is not 1..247`;
  if (!isRegister(request.address)) return `address ${request.address} is not 0..65535`;
  switch (request.function) {
    case ReadHolding:
    case ReadInput:
      if (!(Math.floor(request.count) === request.count && request.count >= 1 && request.count <= MAX_READ_REGISTERS)) return `count ${request.count} is not 1..${MAX_READ_REGISTERS}`;
      if (request.address + request.count > 0x10000) return "registers past 65535";
      return undefined;
    case WriteSingle:
      return isRegister(request.value) ? undefined : `value ${request.value} is not a 16-bit register`;
    case WriteMultiple:
      if (request.values.length < 1 || request.values.length > MAX_WRITE_REGISTERS) return `${request.values.length} values (1..${MAX_WRITE_REGISTERS})`;
      if (request.address + request.values.length > 0x10000) return "registers past 65535";
      return request.values.every(isRegister) ? undefined : "a value is not a 16-bit register";
    default:
      return `function ${String((request as { function: unknown }).function)} is not supported`;
  }
}

function word(frame: Uint8Array, at: number): number {
  return (frame[at] << 8) | frame[at + 1];
}

function putWord(frame: Uint8Array, at: number, value: number): void {
  frame[at] = value >>> 8;
  frame[at + 1] = value & 0xff;
}

export function encodeRequest(request: ModbusRequest): Uint8Array {
  if (request.function === WriteMultiple) {
    const body = new Uint8Array(7 + 2 * request.values.length);
    body[0] = request.unit;
    body[1] = request.function;
    putWord(body, 2, request.address);
    putWord(body, 4, request.values.length);
    body[6] = 2 * request.values.length;
    request.values.forEach((value, i) => putWord(body, 7 + 2 * i, value));
    return withCrc(body);
  }
  const body = new Uint8Array(6);
  body[0] = request.unit;
  body[1] = request.function;
  putWord(body, 2, request.address);
  putWord(body, 4, request.function === WriteSingle ? request.value : request.count);
  return withCrc(body);
}

export function decodeRequest(frame: Uint8Array): Parsed<ModbusRequest> {
  if (frame.length < 8) return { ok: false, error: `${frame.length}-byte frame is too short` };
  if (!hasValidCrc(frame)) return { ok: false, error: "CRC mismatch" };
  const unit = frame[0];
  const fn = frame[1];
  const address = word(frame, 2);
  if (fn === ReadHolding || fn === ReadInput || fn === WriteSingle) {
    if (frame.length !== 8) return { ok: false, error: `function ${fn} frame of ${frame.length} bytes` };
    if (fn === WriteSingle) return { ok: true, value: { unit, function: fn, address, value: word(frame, 4) } };
    return { ok: true, value: { unit, function: fn, address, count: word(frame, 4) } };
  }
  if (fn === WriteMultiple) {
    const count = word(frame, 4);
    if (frame.length !== 9 + 2 * count || frame[6] !== 2 * count) return { ok: false, error: "function 16 length mismatch" };
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(word(frame, 7 + 2 * i));
    return { ok: true, value: { unit, function: fn, address, values } };
  }
  return { ok: false, error: `function ${fn} is not supported` };
}

/** The response to `request`; `exception` turns it into an exception response. */
export function encodeResponse(request: ModbusRequest, reply: ModbusReply): Uint8Array {
  if (reply.kind === "exception") return withCrc(Uint8Array.of(request.unit, request.function | 0x80, reply.code));
  if (reply.kind === "registers") {
    const body = new Uint8Array(3 + 2 * reply.registers.length);
    body[0] = request.unit;
    body[1] = request.function;
    body[2] = 2 * reply.registers.length;
    reply.registers.forEach((value, i) => putWord(body, 3 + 2 * i, value));
    return withCrc(body);
  }
  const body = new Uint8Array(6);
  body[0] = request.unit;
  body[1] = request.function;
  putWord(body, 2, reply.address);
  putWord(body, 4, request.function === WriteSingle ? request.value : reply.count);
  return withCrc(body);
}

/** Checks `frame` against the request it answers: CRC, unit, function, length, echo. */
export function decodeResponse(frame: Uint8Array, request: ModbusRequest): Parsed<ModbusReply> {
  if (frame.length < 5) return { ok: false, error: `${frame.length}-byte frame is too short` };
  if (!hasValidCrc(frame)) return { ok: false, error: "CRC mismatch" };
  if (frame[0] !== request.unit) return { ok: false, error: `answer from unit ${frame[0]} instead of ${request.unit}` };
  const fn = frame[1];
  if (fn === (request.function | 0x80)) {
    if (frame.length !== 5) return { ok: false, error: "exception frame of the wrong length" };
    return { ok: true, value: { kind: "exception", code: frame[2] } };
  }
  if (fn !== request.function) return { ok: false, error: `function ${fn} answers function ${request.function}` };
  if (request.function === ReadHolding || request.function === ReadInput) {
    if (frame[2] !== 2 * request.count || frame.length !== 5 + frame[2]) return { ok: false, error: `${frame[2]} data bytes for ${request.count} registers` };
    const registers: number[] = [];
    for (let i = 0; i < request.count; i++) registers.push(word(frame, 3 + 2 * i));
    return { ok: true, value: { kind: "registers", registers } };
  }
  if (frame.length !== 8) return { ok: false, error: `write answer of ${frame.length} bytes` };
  const address = word(frame, 2);
  const echoed = word(frame, 4);
  const expected = request.function === WriteMultiple ? request.values.length : request.function === WriteSingle ? request.value : -1;
  if (address !== request.address || echoed !== expected) return { ok: false, error: "write answer does not echo the request" };
  return { ok: true, value: { kind: "written", address, count: request.function === WriteSingle ? 1 : echoed } };
}
