/**
 * AES-128-CBC with PKCS#7 padding from @noble/ciphers. Only 16-byte keys are accepted, so that a
 * 32-byte key passed by mistake cannot silently select AES-256. Decryption errors (length,
 * padding) are indistinguishable to callers: one CryptoError.
 */
import { cbc } from "@noble/ciphers/aes.js";
import { CryptoError } from "./crypto-error.js";

export const AES_BLOCK_BYTES = 16;
export const AES128_KEY_BYTES = 16;

function checkKeyAndIv(key: Uint8Array, iv: Uint8Array): void {
  if (key.length !== AES128_KEY_BYTES) throw new CryptoError(`AES-128 key must be 16 bytes, got ${key.length}`);
  if (iv.length !== AES_BLOCK_BYTES) throw new CryptoError(`CBC IV must be 16 bytes, got ${iv.length}`);
}

/** Output length is the input rounded up to the next whole block (always at least one pad byte). */
export function aes128CbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkKeyAndIv(key, iv);
  return cbc(key, iv).encrypt(plaintext);
}

export function aes128CbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkKeyAndIv(key, iv);
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_BYTES !== 0) {
    throw new CryptoError("CBC ciphertext is not a whole number of blocks");
  }
  try {
    return cbc(key, iv).decrypt(ciphertext);
  } catch {
    throw new CryptoError("CBC decryption failed");
  }
}
