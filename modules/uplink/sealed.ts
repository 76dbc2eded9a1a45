/**
 * The integrity check the uplink's formats share (packets, downlinks, reports): a CRC-32/IEEE of
 * every byte before it, as a little-endian u32 at the end. TLS protects the wire; this catches a
 * truncated HTTP answer, a bug on either side, or bytes read from the wrong place.
 */
import { FormatError } from "../codec/byte-reader.js";
import { crc32 } from "../codec/crc32.js";

export const CHECK_BYTES = 4;

/** `body` followed by its check value. */
export function seal(body: Uint8Array): Uint8Array {
  const sealed = new Uint8Array(body.length + CHECK_BYTES);
  sealed.set(body);
  new DataView(sealed.buffer).setUint32(body.length, crc32(body), true);
  return sealed;
}

/** The body of a sealed payload; throws FormatError naming `what` when the check value does not match. */
export function unseal(payload: Uint8Array, what: string): Uint8Array {
  if (payload.length < CHECK_BYTES) throw new FormatError(`${what} shorter than its check value`);
  const bodyLength = payload.length - CHECK_BYTES;
  const expected = new DataView(payload.buffer, payload.byteOffset).getUint32(bodyLength, true);
  if (crc32(payload, 0, bodyLength) !== expected) throw new FormatError(`${what} check value does not match`);
  return payload.subarray(0, bodyLength);
}
