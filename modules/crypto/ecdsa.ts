/**
 * ECDSA P-256 with SHA-256 signature checks from @noble/curves, for signed update manifests
 * (docs/firmware-update.md). Signatures are the fixed 64-byte IEEE P1363 form r ‖ s. High-S
 * signatures are accepted: signers such as OpenSSL and HSMs do not normalise s, and accepting both
 * halves costs nothing here, since a manifest's identity is its signed body, not its signature.
 */
import { p256 } from "@noble/curves/nist.js";
import { CryptoError } from "./crypto-error.js";

export const P256_SIGNATURE_BYTES = 64;

/**
 * True only when `signature` is a valid signature of SHA-256(`message`) by `publicKey` (65-byte
 * uncompressed SEC 1 point). Malformed keys or signatures are simply not valid: no exception.
 */
export function verifyP256Sha256(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== P256_SIGNATURE_BYTES) return false;
  try {
    return p256.verify(signature, message, publicKey, { prehash: true, lowS: false, format: "compact" });
  } catch {
    return false;
  }
}

/** Converts a DER (ASN.1 SEQUENCE of two INTEGERs) signature, as OpenSSL and HSMs emit it, to r ‖ s. */
export function p1363FromDer(der: Uint8Array): Uint8Array {
  try {
    return p256.Signature.fromBytes(der, "der").toBytes("compact");
  } catch (error) {
    throw new CryptoError(`not a DER P-256 signature: ${error instanceof Error ? error.message : String(error)}`);
  }
}
