/**
 * Which signing keys a build trusts, and the signature check of a manifest against them. The key
 * id in the manifest selects the key, so a manifest signed by an untrusted key (a development key
 * on a production build) is refused as such, not as a bad signature.
 */
import { FormatError } from "../codec/byte-reader.js";
import { constantTimeEqual } from "../crypto/bytes.js";
import { verifyP256Sha256 } from "../crypto/ecdsa.js";
import { P256_PUBLIC_KEY_BYTES } from "../crypto/p256.js";
import { sha256 } from "../crypto/sha256.js";
import { decodeManifest, KEY_ID_BYTES, type SignedManifest } from "./manifest.js";
import { UpdateRefused } from "./refusal.js";

export interface TrustedKey {
  /** For logs: "production", "development". */
  readonly name: string;
  /** Uncompressed SEC 1 point, 65 bytes. */
  readonly publicKey: Uint8Array;
  readonly keyId: Uint8Array;
}

export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).slice(0, KEY_ID_BYTES);
}

export function trustedKey(name: string, publicKey: Uint8Array): TrustedKey {
  if (publicKey.length !== P256_PUBLIC_KEY_BYTES || publicKey[0] !== 0x04) {
    throw new RangeError(`${name} key must be a 65-byte uncompressed P-256 point`);
  }
  return Object.freeze({ name, publicKey: publicKey.slice(), keyId: keyIdOf(publicKey) });
}

/** Decodes and authenticates a manifest; throws UpdateRefused (malformed, unknown-key, bad-signature). */
export function verifyManifest(bytes: Uint8Array, keys: readonly TrustedKey[]): SignedManifest {
  let manifest: SignedManifest;
  try {
    manifest = decodeManifest(bytes);
  } catch (error) {
    if (error instanceof FormatError) throw new UpdateRefused("malformed", error.message);
    throw error;
  }
  const key = keys.find((candidate) => constantTimeEqual(candidate.keyId, manifest.keyId));
  if (!key) throw new UpdateRefused("unknown-key", "signed by a key this build does not trust");
  if (!verifyP256Sha256(key.publicKey, manifest.body, manifest.signature)) {
    throw new UpdateRefused("bad-signature", `signature does not verify with the ${key.name} key`);
  }
  return manifest;
}
