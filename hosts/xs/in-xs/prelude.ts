/**
 * Globals that code bundled for XS expects and xsnap-worker lacks: `console` (libraries and test
 * code log through it) and `crypto.getRandomValues` (noble's randomBytes). Both go to the host
 * through the bridge, so randomness comes from the host's CSPRNG (a simulated board's, when the
 * host is one), never from Math.random. xsnap already has TextEncoder, TextDecoder and
 * performance.now; bundles import this module first.
 */
import { expect, Request } from "../bridge/messages.js";
import { callHost } from "./host-call.js";

/** WebCrypto's per-call limit, kept so that code behaves here as it would in a browser or Node. */
const MAX_RANDOM_BYTES = 65536;

interface MissingGlobals {
  console?: unknown;
  crypto?: { getRandomValues?: unknown };
}

const scope = globalThis as unknown as MissingGlobals;

if (scope.console === undefined) {
  const logAt = (level: string) => (...values: unknown[]): void => {
    callHost(Request.Log, level, values.map(formatLogValue).join(" "));
  };
  scope.console = { log: logAt("log"), info: logAt("info"), warn: logAt("warn"), error: logAt("error"), debug: logAt("debug") };
}

if (typeof scope.crypto?.getRandomValues !== "function") {
  scope.crypto = { getRandomValues };
}

function getRandomValues<T extends ArrayBufferView>(array: T): T {
  if (!(array instanceof Int8Array || array instanceof Uint8Array || array instanceof Uint8ClampedArray ||
        array instanceof Int16Array || array instanceof Uint16Array || array instanceof Int32Array ||
        array instanceof Uint32Array || array instanceof BigInt64Array || array instanceof BigUint64Array)) {
    throw new TypeError("getRandomValues needs an integer typed array");
  }
  if (array.byteLength > MAX_RANDOM_BYTES) throw new RangeError(`getRandomValues is limited to ${MAX_RANDOM_BYTES} bytes`);
  const bytes = expect.bytes(callHost(Request.Random, array.byteLength), "random bytes");
  if (bytes.length !== array.byteLength) throw new RangeError(`host sent ${bytes.length} random bytes, ${array.byteLength} asked`);
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(bytes);
  return array;
}

function formatLogValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? `${item}n` : item)) ?? String(value);
  } catch {
    return String(value);
  }
}
