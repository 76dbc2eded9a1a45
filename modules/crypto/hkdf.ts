/** HKDF-SHA256 (RFC 5869), split into its two steps as the session key schedule uses them. */
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { CryptoError } from "./crypto-error.js";

/** RFC 5869: L <= 255 * HashLen. */
export const HKDF_MAX_BYTES = 255 * 32;

export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(sha256, ikm, salt);
}

export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > HKDF_MAX_BYTES) {
    throw new CryptoError(`HKDF output of ${length} bytes is outside 0..${HKDF_MAX_BYTES}`);
  }
  if (prk.length < 32) throw new CryptoError(`HKDF PRK of ${prk.length} bytes is shorter than 32`);
  return expand(sha256, prk, info, length);
}

export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdfExpand(hkdfExtract(salt, ikm), info, length);
}
