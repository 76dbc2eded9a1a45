/** SHA-256 and HMAC-SHA256 (RFC 2104 / RFC 4231) from @noble/hashes. */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { constantTimeEqual } from "./bytes.js";

export const SHA256_BYTES = 32;

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, data);
}

/** True only for the full 32-byte tag; checked in constant time. */
export function verifyHmacSha256(key: Uint8Array, data: Uint8Array, tag: Uint8Array): boolean {
  if (tag.length !== SHA256_BYTES) return false;
  return constantTimeEqual(hmacSha256(key, data), tag);
}

/** SHA-256 over data that arrives in pieces (a firmware slot read block by block). */
export interface Sha256Stream {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

export function sha256Stream(): Sha256Stream {
  const state = nobleSha256.create();
  return {
    update: (data) => { state.update(data); },
    digest: () => state.digest(),
  };
}
