/**
 * Known answers (RFC 5869, RFC 4231, NIST SP 800-38A, RFC 7518 B.1) and the Wycheproof files for
 * every primitive the BLE session uses, all through the project's crypto layer (modules/crypto),
 * not through noble directly.
 */
import assert from "node:assert/strict";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { aes128CbcDecrypt, aes128CbcEncrypt } from "../../modules/crypto/aes-cbc.js";
import { concatBytes, constantTimeEqual } from "../../modules/crypto/bytes.js";
import { CryptoError } from "../../modules/crypto/crypto-error.js";
import { hkdf, hkdfExpand, hkdfExtract } from "../../modules/crypto/hkdf.js";
import { p256SharedX } from "../../modules/crypto/p256.js";
import { hmacSha256, verifyHmacSha256 } from "../../modules/crypto/sha256.js";
import { field, loadVectors, wycheproofTests } from "./wycheproof.js";

interface KnownAnswers {
  rfc5869_hkdf_sha256: Array<{ name: string; ikm: string; salt: string; info: string; L: number; prk: string; okm: string }>;
  rfc4231_hmac_sha256: Array<{ name: string; key: string; data: string; mac: string }>;
  sp800_38a_f21_cbc_aes128: { key: string; iv: string; plaintext: string; ciphertext: string };
  rfc7518_b1_a128cbc_hs256: {
    mac_key: string; enc_key: string; iv: string; plaintext: string; aad: string; al: string; ciphertext: string; tag: string;
  };
}

const known = loadVectors<KnownAnswers>("rfc_known_answers.json");
const hex = hexToBytes;

/** Wycheproof writes ECDH private keys as signed big-endian integers: drop a sign byte, left-pad to 32. */
function privateKey32(text: string): Uint8Array {
  const bytes = hex(text);
  const trimmed = bytes.length > 32 && bytes[0] === 0 ? bytes.subarray(bytes.length - 32) : bytes;
  const out = new Uint8Array(32);
  out.set(trimmed, 32 - trimmed.length);
  return out;
}

describe("crypto layer: known answers", () => {
  for (const vector of known.rfc5869_hkdf_sha256) {
    it(`HKDF ${vector.name}`, () => {
      const prk = hkdfExtract(hex(vector.salt), hex(vector.ikm));
      assert.equal(bytesToHex(prk), vector.prk);
      assert.equal(bytesToHex(hkdfExpand(prk, hex(vector.info), vector.L)), vector.okm);
    });
  }
  for (const vector of known.rfc4231_hmac_sha256) {
    it(`HMAC-SHA256 ${vector.name}`, () => {
      assert.equal(bytesToHex(hmacSha256(hex(vector.key), hex(vector.data))), vector.mac);
      assert.ok(verifyHmacSha256(hex(vector.key), hex(vector.data), hex(vector.mac)));
    });
  }
  it("AES-128-CBC NIST SP 800-38A F.2.1 (the padded output starts with the unpadded vector)", () => {
    const vector = known.sp800_38a_f21_cbc_aes128;
    const sealed = aes128CbcEncrypt(hex(vector.key), hex(vector.iv), hex(vector.plaintext));
    // 64 bytes of plaintext gain one full padding block; CBC leaves the earlier blocks unchanged.
    assert.equal(sealed.length, 80);
    assert.equal(bytesToHex(sealed.subarray(0, 64)), vector.ciphertext);
    assert.equal(bytesToHex(aes128CbcDecrypt(hex(vector.key), hex(vector.iv), sealed)), vector.plaintext);
  });
  it("RFC 7518 B.1 AES_128_CBC_HMAC_SHA_256: CBC-PKCS#7 ciphertext and encrypt-then-MAC tag", () => {
    const vector = known.rfc7518_b1_a128cbc_hs256;
    const ciphertext = aes128CbcEncrypt(hex(vector.enc_key), hex(vector.iv), hex(vector.plaintext));
    assert.equal(bytesToHex(ciphertext), vector.ciphertext);
    const mac = hmacSha256(hex(vector.mac_key), concatBytes(hex(vector.aad), hex(vector.iv), ciphertext, hex(vector.al)));
    assert.equal(bytesToHex(mac.subarray(0, 16)), vector.tag);
    assert.equal(bytesToHex(aes128CbcDecrypt(hex(vector.enc_key), hex(vector.iv), ciphertext)), vector.plaintext);
  });
});

describe("crypto layer: Wycheproof", () => {
  it("ECDH P-256 ecpoint: 330 valid shared x, 24 invalid points rejected, 1 acceptable (compressed) accepted", () => {
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const { test } of wycheproofTests("ecdh_secp256r1_ecpoint_test.json")) {
      const run = () => p256SharedX(privateKey32(field(test, "private")), hex(field(test, "public")));
      if (test.result === "invalid") {
        assert.throws(run, CryptoError, `tcId ${test.tcId} ${test.comment}`);
      } else {
        assert.equal(bytesToHex(run()), field(test, "shared"), `tcId ${test.tcId} ${test.comment}`);
      }
      counts[test.result]++;
    }
    assert.deepEqual(counts, { valid: 330, invalid: 24, acceptable: 1 });
  });

  it("HKDF-SHA256: 83 valid outputs, 3 oversize requests rejected", () => {
    const counts = { valid: 0, invalid: 0 };
    for (const { test } of wycheproofTests("hkdf_sha256_test.json")) {
      const size = test.size as number;
      const run = () => hkdf(hex(field(test, "ikm")), hex(field(test, "salt")), hex(field(test, "info")), size);
      if (test.result === "valid") {
        assert.equal(bytesToHex(run()), field(test, "okm"), `tcId ${test.tcId}`);
        counts.valid++;
      } else {
        assert.throws(run, CryptoError, `tcId ${test.tcId}`);
        counts.invalid++;
      }
    }
    assert.deepEqual(counts, { valid: 83, invalid: 3 });
  });

  it("HMAC-SHA256: 66 valid tags match, 108 modified tags fail; truncated tags never verify", () => {
    const counts = { valid: 0, invalid: 0 };
    for (const { group, test } of wycheproofTests("hmac_sha256_test.json")) {
      const key = hex(field(test, "key"));
      const msg = hex(field(test, "msg"));
      const tag = hex(field(test, "tag"));
      const tagBytes = (group.tagSize as number) / 8;
      const expected = test.result === "valid";
      assert.equal(constantTimeEqual(hmacSha256(key, msg).subarray(0, tagBytes), tag), expected, `tcId ${test.tcId}`);
      // The layer's verifier accepts only the full 32-byte tag: a 16-byte prefix is refused outright.
      assert.equal(verifyHmacSha256(key, msg, tag), expected && tagBytes === 32, `tcId ${test.tcId} verify`);
      counts[expected ? "valid" : "invalid"]++;
    }
    assert.deepEqual(counts, { valid: 66, invalid: 108 });
  });

  it("AES-CBC-PKCS5: 128-bit keys round-trip 24 valid and reject 48 bad paddings; 192/256-bit keys are refused", () => {
    const counts = { valid: 0, invalid: 0, refusedKeySize: 0 };
    for (const { group, test } of wycheproofTests("aes_cbc_pkcs5_test.json")) {
      const key = hex(field(test, "key"));
      const iv = hex(field(test, "iv"));
      const msg = hex(field(test, "msg"));
      const ct = hex(field(test, "ct"));
      if (group.keySize !== 128) {
        assert.throws(() => aes128CbcDecrypt(key, iv, ct), /AES-128 key must be 16 bytes/);
        assert.throws(() => aes128CbcEncrypt(key, iv, msg), /AES-128 key must be 16 bytes/);
        counts.refusedKeySize++;
      } else if (test.result === "valid") {
        assert.equal(bytesToHex(aes128CbcEncrypt(key, iv, msg)), bytesToHex(ct), `tcId ${test.tcId}`);
        assert.equal(bytesToHex(aes128CbcDecrypt(key, iv, ct)), bytesToHex(msg), `tcId ${test.tcId}`);
        counts.valid++;
      } else {
        assert.throws(() => aes128CbcDecrypt(key, iv, ct), CryptoError, `tcId ${test.tcId} ${test.comment}`);
        counts.invalid++;
      }
    }
    assert.deepEqual(counts, { valid: 24, invalid: 48, refusedKeySize: 144 });
  });
});
