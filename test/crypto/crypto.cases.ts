/** Crypto-layer behaviour that must hold on XS as on Node (vectors run in vectors.test.ts). */
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { aes128CbcDecrypt, aes128CbcEncrypt } from "../../modules/crypto/aes-cbc.js";
import { constantTimeEqual } from "../../modules/crypto/bytes.js";
import { CryptoError } from "../../modules/crypto/crypto-error.js";
import { hkdfExpand } from "../../modules/crypto/hkdf.js";
import { p256KeyPair, p256SharedX } from "../../modules/crypto/p256.js";
import { deepEqual, equal, notEqual, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

export const cases: TestCase[] = [
  {
    name: "constant-time compare: equal, one bit off, different lengths",
    run() {
      const a = Uint8Array.of(1, 2, 3, 4);
      ok(constantTimeEqual(a, Uint8Array.of(1, 2, 3, 4)));
      equal(constantTimeEqual(a, Uint8Array.of(1, 2, 3, 5)), false);
      equal(constantTimeEqual(a, Uint8Array.of(1, 2, 3)), false, "a prefix is not equal");
      ok(constantTimeEqual(new Uint8Array(0), new Uint8Array(0)));
    },
  },
  {
    name: "AES-128-CBC round-trips every length 0..33 and always pads",
    run() {
      const random = new SeededRandom("cbc");
      const key = random.getRandomValues(new Uint8Array(16));
      const iv = random.getRandomValues(new Uint8Array(16));
      for (let length = 0; length <= 33; length++) {
        const plaintext = random.getRandomValues(new Uint8Array(length));
        const ciphertext = aes128CbcEncrypt(key, iv, plaintext);
        equal(ciphertext.length, (Math.floor(length / 16) + 1) * 16, `length ${length}`);
        deepEqual(aes128CbcDecrypt(key, iv, ciphertext), plaintext);
      }
    },
  },
  {
    name: "AES-128-CBC refuses wrong key and IV sizes, partial blocks and bad padding",
    run() {
      const key = new Uint8Array(16).fill(7);
      const iv = new Uint8Array(16).fill(9);
      throws(() => aes128CbcEncrypt(new Uint8Array(32), iv, new Uint8Array(1)), CryptoError);
      throws(() => aes128CbcEncrypt(key, new Uint8Array(12), new Uint8Array(1)), CryptoError);
      throws(() => aes128CbcDecrypt(key, iv, new Uint8Array(0)), CryptoError);
      throws(() => aes128CbcDecrypt(key, iv, new Uint8Array(17)), CryptoError);
      // A whole-block plaintext gains a block of sixteen 0x10 bytes. CBC XORs the previous
      // ciphertext block into it, so flipping bit 0 there turns the last pad byte into 0x11.
      const sealed = aes128CbcEncrypt(key, iv, new Uint8Array(16));
      sealed[15] ^= 0x01;
      throws(() => aes128CbcDecrypt(key, iv, sealed), CryptoError);
    },
  },
  {
    name: "P-256: both sides agree on a 32-byte x; an off-curve point and a compressed garbage point are refused",
    run() {
      const random = new SeededRandom("ecdh");
      const alice = p256KeyPair(random);
      const bob = p256KeyPair(random);
      equal(alice.publicKey.length, 65);
      equal(alice.publicKey[0], 0x04);
      const x = p256SharedX(alice.secretKey, bob.publicKey);
      equal(x.length, 32);
      deepEqual(p256SharedX(bob.secretKey, alice.publicKey), x);
      notEqual(p256KeyPair(random).secretKey.join(), alice.secretKey.join(), "fresh keys each time");
      const offCurve = bob.publicKey.slice();
      offCurve[64] ^= 1;
      throws(() => p256SharedX(alice.secretKey, offCurve), CryptoError);
      throws(() => p256SharedX(alice.secretKey, new Uint8Array(33).fill(0xff)), CryptoError);
    },
  },
  {
    name: "HKDF-Expand refuses more than 255 blocks and short PRKs",
    run() {
      throws(() => hkdfExpand(new Uint8Array(32), new Uint8Array(0), 8161), CryptoError);
      throws(() => hkdfExpand(new Uint8Array(16), new Uint8Array(0), 32), CryptoError);
      equal(hkdfExpand(new Uint8Array(32), new Uint8Array(0), 8160).length, 8160);
    },
  },
];
