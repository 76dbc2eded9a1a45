/**
 * HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1, section 10.1.2), no derivation function, no
 * prediction-resistance requests: the deterministic half of the boards' random source. The
 * entropy policy around it is in hardware-random.ts.
 */
import { concatBytes } from "../../modules/crypto/bytes.js";
import { hmacSha256 } from "../../modules/crypto/sha256.js";

const OUT_BYTES = 32;
/** SP 800-90A table 2: at most 2^19 bits per request. */
export const MAX_REQUEST_BYTES = 65536;

export class HmacDrbg {
  #key: Uint8Array = new Uint8Array(OUT_BYTES);
  #value: Uint8Array = new Uint8Array(OUT_BYTES).fill(1);
  #requests = 0;

  constructor(entropy: Uint8Array, nonce: Uint8Array, personalization: Uint8Array = new Uint8Array(0)) {
    if (entropy.length < 32) throw new RangeError("HMAC_DRBG needs at least 256 bits of entropy");
    this.#update(concatBytes(entropy, nonce, personalization));
  }

  /** Generate requests since instantiation or the last reseed. */
  get requests(): number {
    return this.#requests;
  }

  reseed(entropy: Uint8Array, additional: Uint8Array = new Uint8Array(0)): void {
    this.#update(concatBytes(entropy, additional));
    this.#requests = 0;
  }

  generate(byteLength: number, additional: Uint8Array = new Uint8Array(0)): Uint8Array {
    if (!Number.isInteger(byteLength) || byteLength < 0 || byteLength > MAX_REQUEST_BYTES) {
      throw new RangeError(`HMAC_DRBG request of ${byteLength} bytes outside 0..${MAX_REQUEST_BYTES}`);
    }
    if (additional.length > 0) this.#update(additional);
    const out = new Uint8Array(byteLength);
    for (let at = 0; at < byteLength; at += OUT_BYTES) {
      this.#value = hmacSha256(this.#key, this.#value);
      out.set(this.#value.subarray(0, Math.min(OUT_BYTES, byteLength - at)), at);
    }
    this.#update(additional);
    this.#requests++;
    return out;
  }

  #update(data: Uint8Array): void {
    this.#key = hmacSha256(this.#key, concatBytes(this.#value, Uint8Array.of(0), data));
    this.#value = hmacSha256(this.#key, this.#value);
    if (data.length === 0) return;
    this.#key = hmacSha256(this.#key, concatBytes(this.#value, Uint8Array.of(1), data));
    this.#value = hmacSha256(this.#key, this.#value);
  }
}
