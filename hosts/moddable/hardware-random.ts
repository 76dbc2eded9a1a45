/**
 * The boards' `platform.random`: an HMAC_DRBG seeded from the chip's hardware RNG at boot and
 * fed fresh hardware bytes on every request.
 *
 * Why not the hardware RNG alone, or Moddable's `rng` module:
 * - nRF52: Moddable's `c_rand` is libc `rand()` and nothing seeds it; its `rng` module is an RC4
 *   keystream seeded from that. The chip's RNG (through the SoftDevice once BLE runs) yields
 *   bytes slowly from a small pool, so it seeds a DRBG rather than serving every request.
 * - ESP32: `esp_fill_random` is only truly random while the radio (here BLE) runs; before that
 *   it is a PRNG over the bootloader's entropy. Mixing its output into every request means the
 *   generator accumulates real entropy once BLE is up, whatever was drawn before.
 * The hardware bytes go in as SP 800-90A "additional input", never out to the caller directly.
 */
import type { Random } from "../../modules/platform/platform.js";
import { HmacDrbg, MAX_REQUEST_BYTES } from "./hmac-drbg.js";

/** The chip's RNG: fills up to `bytes.length` bytes it has now, and says how many. */
export interface EntropySource {
  take(bytes: Uint8Array): number;
}

export const SEED_BYTES = 48;
export const MIX_BYTES = 32;
/** How often the boot seeding asks the hardware before giving up (each try is a native call). */
export const SEED_ATTEMPTS = 100_000;
/** Reseed from the hardware this often even if every request brought fresh bytes. */
export const RESEED_REQUESTS = 1024;

function collect(source: EntropySource, count: number): Uint8Array {
  const out = new Uint8Array(count);
  let filled = 0;
  for (let attempt = 0; attempt < SEED_ATTEMPTS && filled < count; attempt++) {
    filled += source.take(out.subarray(filled));
  }
  if (filled < count) throw new Error(`hardware RNG gave ${filled} of ${count} seed bytes`);
  return out;
}

export class HardwareSeededRandom implements Random {
  readonly #source: EntropySource;
  readonly #drbg: HmacDrbg;
  readonly #mix = new Uint8Array(MIX_BYTES);
  readonly #reseedRequests: number;

  /** `personalization` separates devices that could start from the same entropy (e.g. the chip id). */
  constructor(source: EntropySource, personalization: Uint8Array, reseedRequests = RESEED_REQUESTS) {
    this.#source = source;
    this.#reseedRequests = reseedRequests;
    const seed = collect(source, SEED_BYTES);
    this.#drbg = new HmacDrbg(seed.subarray(0, 32), seed.subarray(32), personalization);
  }

  getRandomValues(bytes: Uint8Array): Uint8Array {
    if (this.#drbg.requests >= this.#reseedRequests) this.#drbg.reseed(collect(this.#source, 32));
    for (let at = 0; at < bytes.length; at += MAX_REQUEST_BYTES) {
      const fresh = this.#source.take(this.#mix);
      const chunk = Math.min(MAX_REQUEST_BYTES, bytes.length - at);
      bytes.set(this.#drbg.generate(chunk, this.#mix.subarray(0, fresh)), at);
    }
    return bytes;
  }
}
