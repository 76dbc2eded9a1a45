/**
 * The Wycheproof ECDSA P-256 / SHA-256 files (../shared/vectors/) through the verifier the
 * updater uses: the P1363 file as received, the DER file converted to r ‖ s first (how a
 * signature made by OpenSSL or an HSM reaches a manifest). High-S signatures are valid there and
 * must pass; every invalid one must fail.
 */
import assert from "node:assert/strict";
import { hexToBytes } from "@noble/hashes/utils.js";
import { CryptoError } from "../../modules/crypto/crypto-error.js";
import { p1363FromDer, verifyP256Sha256 } from "../../modules/crypto/ecdsa.js";
import { field, wycheproofTests, type WycheproofGroup } from "../crypto/wycheproof.js";

function publicKeyOf(group: WycheproofGroup): Uint8Array {
  const key = (group as unknown as { publicKey: { uncompressed: string } }).publicKey;
  return hexToBytes(key.uncompressed);
}

describe("ota: Wycheproof ECDSA P-256 SHA-256 through the manifest verifier", () => {
  it("P1363 (r ‖ s): 173 valid accepted, 89 invalid rejected", () => {
    const counts = { valid: 0, invalid: 0 };
    for (const { group, test } of wycheproofTests("ecdsa_secp256r1_sha256_p1363_test.json")) {
      const verdict = verifyP256Sha256(publicKeyOf(group), hexToBytes(field(test, "msg")), hexToBytes(field(test, "sig")));
      assert.equal(verdict, test.result === "valid", `tcId ${test.tcId} ${test.comment}`);
      counts[test.result === "valid" ? "valid" : "invalid"]++;
    }
    assert.deepEqual(counts, { valid: 173, invalid: 89 });
  });

  it("DER, converted to r ‖ s: 174 valid accepted, 310 invalid rejected by the conversion or the verifier", () => {
    const counts = { valid: 0, invalid: 0, badDer: 0 };
    for (const { group, test } of wycheproofTests("ecdsa_secp256r1_sha256_test.json")) {
      let verdict = false;
      try {
        verdict = verifyP256Sha256(publicKeyOf(group), hexToBytes(field(test, "msg")), p1363FromDer(hexToBytes(field(test, "sig"))));
      } catch (error) {
        assert.ok(error instanceof CryptoError, `tcId ${test.tcId}: ${String(error)}`);
        counts.badDer++;
      }
      assert.equal(verdict, test.result === "valid", `tcId ${test.tcId} ${test.comment}`);
      counts[test.result === "valid" ? "valid" : "invalid"]++;
    }
    assert.equal(counts.valid, 174);
    assert.equal(counts.invalid, 310);
    // Both gates matter: most invalid vectors are malformed DER, the rest are well-formed but wrong.
    assert.ok(counts.badDer > 0 && counts.badDer < counts.invalid, `${counts.badDer} encodings refused as DER`);
  });
});
