/**
 * P-256 ECDH from @noble/curves. Secret keys come from the caller's random source (on the
 * logger, platform.random), never from a global. Received points are validated by noble (on the
 * curve, not infinity, coordinates in range); the shared secret is the 32-byte x-coordinate, as
 * in SEC 1 and TLS, not noble's 33-byte encoded point.
 */
import { p256 } from "@noble/curves/nist.js";
import type { Random } from "../platform/platform.js";
import { CryptoError } from "./crypto-error.js";

/** Uncompressed SEC 1 point: 0x04 ‖ x ‖ y. */
export const P256_PUBLIC_KEY_BYTES = 65;
export const P256_SHARED_SECRET_BYTES = 32;
/** noble maps 48 random bytes onto [1, n-1] with negligible bias (FIPS 186-5 A.2.1). */
const SECRET_SEED_BYTES = 48;

export interface P256KeyPair {
  secretKey: Uint8Array;
  /** Uncompressed, 65 bytes. */
  publicKey: Uint8Array;
}

export function p256KeyPair(random: Random): P256KeyPair {
  const seed = random.getRandomValues(new Uint8Array(SECRET_SEED_BYTES));
  const secretKey = p256.utils.randomSecretKey(seed);
  seed.fill(0);
  return { secretKey, publicKey: p256.getPublicKey(secretKey, false) };
}

export function p256SharedX(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  let point: Uint8Array;
  try {
    point = p256.getSharedSecret(secretKey, publicKey, true);
  } catch (error) {
    throw new CryptoError(`P-256 ECDH rejected the key: ${error instanceof Error ? error.message : String(error)}`);
  }
  const x = point.slice(1);
  point.fill(0);
  return x;
}
