/**
 * Messages of the XS bridge (docs/xs-host.md). A call, in either direction, is one code byte
 * followed by its arguments as bridge values; its reply is a status byte followed by the result
 * value (status 0) or the error's name and message (status 1).
 *
 * Codes below 0x80 are requests XS makes to Node through `issueCommand`; codes from 0x80 up are
 * deliveries Node makes to XS through the worker's `handleCommand`.
 */
import { BridgeCodecError, BridgeReader, BridgeWriter, type BridgeValue } from "./codec.js";

export const Request = {
  Log: 0x01,
  Random: 0x02,
  ClockMonotonic: 0x10,
  ClockNow: 0x11,
  ClockQuality: 0x12,
  ClockSetTime: 0x13,
  TimerSet: 0x18,
  TimerClear: 0x19,
  FlashRead: 0x20,
  FlashWrite: 0x21,
  FlashErase: 0x22,
  StorageRead: 0x28,
  StorageWrite: 0x29,
  StorageDelete: 0x2a,
  StorageKeys: 0x2b,
  HealthBattery: 0x30,
  HealthHumidity: 0x31,
  HealthTemperature: 0x32,
  Trace: 0x38,
  Restart: 0x39,
  IoOpen: 0x40,
  IoRead: 0x41,
  IoWrite: 0x42,
  IoSet: 0x43,
  IoClose: 0x44,
  IoGet: 0x45,
  BleStart: 0x50,
  BleNotify: 0x51,
  BleDisconnect: 0x52,
  BleStop: 0x53,
  /** Firmware slots: a query or command by name (running, lastTrial, securityFloor, inactiveSlot, markBootable, confirm, reject). */
  UpdateCall: 0x58,
  /** Flash operations on a slots region ("inactive" or "journal"). */
  UpdateFlashRead: 0x59,
  UpdateFlashWrite: 0x5a,
  UpdateFlashErase: 0x5b,
} as const;

/** Every delivery but Forget names the boot (session) it belongs to in its first argument. */
export const Delivery = {
  Boot: 0x80,
  TimerFire: 0x81,
  IoEvent: 0x82,
  BleEvent: 0x83,
  Forget: 0x84,
} as const;

export interface Call {
  code: number;
  args: BridgeValue[];
}

export type Reply =
  | { ok: true; value: BridgeValue }
  | { ok: false; name: string; message: string };

export function encodeCall(code: number, args: readonly BridgeValue[]): Uint8Array {
  const writer = new BridgeWriter().byte(code);
  for (const arg of args) writer.value(arg);
  return writer.finish();
}

export function decodeCall(bytes: Uint8Array): Call {
  const reader = new BridgeReader(bytes);
  return { code: reader.byte(), args: reader.rest() };
}

export function encodeReply(reply: Reply): Uint8Array {
  const writer = new BridgeWriter();
  return reply.ok
    ? writer.byte(0).value(reply.value).finish()
    : writer.byte(1).value(reply.name).value(reply.message).finish();
}

export function decodeReply(bytes: Uint8Array): Reply {
  const reader = new BridgeReader(bytes);
  const status = reader.byte();
  if (status === 0) return { ok: true, value: reader.value() };
  if (status !== 1) throw new BridgeCodecError(`reply status ${status} is neither 0 nor 1`);
  const name = reader.value();
  const message = reader.value();
  if (typeof name !== "string" || typeof message !== "string") throw new BridgeCodecError("error reply without name and message");
  return { ok: false, name, message };
}

export function errorReply(error: unknown): Reply {
  if (error instanceof Error) return { ok: false, name: error.name, message: error.message };
  return { ok: false, name: "Error", message: String(error) };
}

/** Runs `work` and captures its result (undefined when it returns nothing) or its exception as a reply. */
export function replyTo(work: () => BridgeValue | void): Reply {
  try {
    return { ok: true, value: work() as BridgeValue };
  } catch (error) {
    return errorReply(error);
  }
}

/** Decodes a request and encodes `answer`'s reply; a malformed request gets an error reply. */
export function answerRequest(request: Uint8Array, answer: (call: Call) => Reply): Uint8Array {
  let reply: Reply;
  try {
    reply = answer(decodeCall(request));
  } catch (error) {
    reply = errorReply(error);
  }
  return encodeReply(reply);
}

/** Argument checks for decoded calls: a malformed call is an error reply, never a crash. */
export const expect = {
  number(value: BridgeValue, what: string): number {
    if (typeof value !== "number") throw new TypeError(`${what} must be a number`);
    return value;
  },
  string(value: BridgeValue, what: string): string {
    if (typeof value !== "string") throw new TypeError(`${what} must be a string`);
    return value;
  },
  bytes(value: BridgeValue, what: string): Uint8Array {
    if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be bytes`);
    return value;
  },
  record(value: BridgeValue, what: string): Record<string, BridgeValue> {
    if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      throw new TypeError(`${what} must be a record`);
    }
    return value as Record<string, BridgeValue>;
  },
  array(value: BridgeValue, what: string): readonly BridgeValue[] {
    if (!Array.isArray(value)) throw new TypeError(`${what} must be an array`);
    return value as readonly BridgeValue[];
  },
};
