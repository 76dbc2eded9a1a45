/**
 * The key agreement a BLE pairing or an uplink session performs: P-256 ECDH, then HKDF-SHA256 of
 * the shared x-coordinate. Node-free so that it runs unchanged on XS (measured by the XS smoke
 * test and bench/xs-crypto.bench.ts) and on Node.
 */
import { p256 } from "@noble/curves/nist.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

export interface KeyAgreementInput {
  privateKeyHex: string;
  /** Uncompressed SEC1 point (04 || x || y). */
  peerPublicKeyHex: string;
  saltHex: string;
  infoHex: string;
}

export const SESSION_KEY_BYTES = 32;

/** Returns the 32-byte session key as hex. */
export function deriveSessionKey(input: KeyAgreementInput): string {
  const shared = p256.getSharedSecret(hexToBytes(input.privateKeyHex), hexToBytes(input.peerPublicKeyHex));
  // getSharedSecret returns a compressed point; the ECDH secret is its x-coordinate.
  const key = hkdf(sha256, shared.subarray(1), hexToBytes(input.saltHex), hexToBytes(input.infoHex), SESSION_KEY_BYTES);
  return bytesToHex(key);
}

/** Runs `deriveSessionKey` `times` times (after one warm-up), for per-operation costs. */
export function deriveSessionKeyRepeatedly(input: KeyAgreementInput & { times: number }): string {
  let key = deriveSessionKey(input);
  for (let i = 0; i < input.times; i++) key = deriveSessionKey(input);
  return key;
}

/** The device side of a handshake: a fresh ephemeral key (from crypto.getRandomValues) and the session key. */
export function ephemeralHandshake(input: Omit<KeyAgreementInput, "privateKeyHex">): { publicKeyHex: string; sessionKeyHex: string } {
  const privateKey = p256.utils.randomSecretKey();
  return {
    publicKeyHex: bytesToHex(p256.getPublicKey(privateKey, false)),
    sessionKeyHex: deriveSessionKey({ ...input, privateKeyHex: bytesToHex(privateKey) }),
  };
}
