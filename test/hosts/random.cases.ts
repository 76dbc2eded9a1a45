/**
 * The boards' random source: HMAC_DRBG against NIST CAVP known answers (HMAC_DRBG.rsp, SHA-256,
 * no prediction resistance, no reseed, no additional input: instantiate, generate 1024 bits
 * twice, the second output is the answer), and the hardware seeding policy around it.
 */
import { HardwareSeededRandom, MIX_BYTES, SEED_BYTES, type EntropySource } from "../../hosts/moddable/hardware-random.js";
import { HmacDrbg } from "../../hosts/moddable/hmac-drbg.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, notEqual, ok, throws } from "../support/assert.js";

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const hexOf = (data: Uint8Array): string => Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");

const CAVP = [
  {
    entropy: "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488",
    nonce: "659ba96c601dc69fc902940805ec0ca8",
    personalization: "",
    returned: "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8",
  },
  {
    entropy: "79737479ba4e7642a221fcfd1b820b134e9e3540a35bb48ffae29c20f5418ea3",
    nonce: "3593259c092bef4129bc2c6c9e19f343",
    personalization: "",
    returned: "cf5ad5984f9e43917aa9087380dac46e410ddc8a7731859c84e9d0f31bd43655b924159413e2293b17610f211e09f770f172b8fb693a35b85d3b9e5e63b1dc252ac0e115002e9bedfb4b5b6fd43f33b8e0eafb2d072e1a6fee1f159df9b51e6c8da737e60d5032dd30544ec51558c6f080bdbdab1de8a939e961e06b5f1aca37",
  },
  {
    entropy: "5cacc68165a2e2ee20812f35ec73a79dbf30fd475476ac0c44fc6174cdac2b55",
    nonce: "6f885496c1e63af620becd9e71ecb824",
    personalization: "e72dd8590d4ed5295515c35ed6199e9d211b8f069b3058caa6670b96ef1208d0",
    returned: "f1012cf543f94533df27fedfbf58e5b79a3dc517a9c402bdbfc9a0c0f721f9d53faf4aafdc4b8f7a1b580fcaa52338d4bd95f58966a243cdcd3f446ed4bc546d9f607b190dd69954450d16cd0e2d6437067d8b44d19a6af7a7cfa8794e5fbd728e8fb2f2e8db5dd4ff1aa275f35886098e80ff844886060da8b1e7137846b23b",
  },
];

/** A stand-in for the chip's RNG: a counter, with a pool that can run dry. */
class CountingEntropy implements EntropySource {
  taken = 0;
  available: number;
  constructor(available = Infinity) {
    this.available = available;
  }
  take(out: Uint8Array): number {
    const count = Math.min(out.length, this.available);
    for (let i = 0; i < count; i++) out[i] = (this.taken + i) & 0xff;
    this.taken += count;
    this.available -= count;
    return count;
  }
}

export const cases: TestCase[] = [
  {
    name: "HMAC_DRBG (SHA-256) matches NIST CAVP known answers, with and without personalization",
    run() {
      for (const vector of CAVP) {
        const drbg = new HmacDrbg(bytes(vector.entropy), bytes(vector.nonce), bytes(vector.personalization));
        drbg.generate(128);
        equal(hexOf(drbg.generate(128)), vector.returned);
      }
    },
  },
  {
    name: "HMAC_DRBG refuses less than 256 bits of entropy and oversized requests",
    run() {
      throws(() => new HmacDrbg(new Uint8Array(31), new Uint8Array(16)), /256 bits/);
      const drbg = new HmacDrbg(new Uint8Array(32), new Uint8Array(16));
      throws(() => drbg.generate(65537), /outside/);
    },
  },
  {
    name: "the board source seeds from 48 hardware bytes and mixes 32 fresh ones into every request",
    run() {
      const source = new CountingEntropy();
      const random = new HardwareSeededRandom(source, Uint8Array.of(1, 2, 3, 4, 5, 6));
      equal(source.taken, SEED_BYTES);
      const a = random.getRandomValues(new Uint8Array(32));
      equal(source.taken, SEED_BYTES + MIX_BYTES);
      const b = random.getRandomValues(new Uint8Array(32));
      notEqual(hexOf(a), hexOf(b));
      // Same hardware bytes, another chip id: another stream.
      const other = new HardwareSeededRandom(new CountingEntropy(), Uint8Array.of(1, 2, 3, 4, 5, 7));
      notEqual(hexOf(other.getRandomValues(new Uint8Array(32))), hexOf(a));
      // Same hardware bytes, same chip id: the same stream (the generator is deterministic over its inputs).
      const twin = new HardwareSeededRandom(new CountingEntropy(), Uint8Array.of(1, 2, 3, 4, 5, 6));
      equal(hexOf(twin.getRandomValues(new Uint8Array(32))), hexOf(a));
    },
  },
  {
    name: "a dry pool after seeding still serves requests; a chip that gives no seed stops the boot",
    run() {
      const source = new CountingEntropy(SEED_BYTES);
      const random = new HardwareSeededRandom(source, new Uint8Array(6));
      const out = random.getRandomValues(new Uint8Array(100));
      ok(out.some((b) => b !== 0), "filled");
      throws(() => new HardwareSeededRandom(new CountingEntropy(10), new Uint8Array(6)), /gave 10 of 48 seed bytes/);
    },
  },
  {
    name: "reseeds from the hardware every reseedRequests requests, fills the caller's array and returns it",
    run() {
      const source = new CountingEntropy();
      const random = new HardwareSeededRandom(source, new Uint8Array(6), 4);
      const one = new Uint8Array(1);
      for (let i = 0; i < 4; i++) random.getRandomValues(one);
      const before = source.taken;
      const out = new Uint8Array(16);
      equal(random.getRandomValues(out), out);
      equal(source.taken - before, 32 + MIX_BYTES);
      deepEqual(random.getRandomValues(new Uint8Array(0)), new Uint8Array(0));
    },
  },
];
