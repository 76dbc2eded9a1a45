/**
 * Manifest authentication: what a build trusts, and every way a signature can be wrong. Signing
 * goes through hosts/sim/ota/signing.ts (the vendor's side), checking through modules/ota/trust.ts.
 */
import { bytesToHex } from "@noble/hashes/utils.js";
import { decodeManifest, joinManifest } from "../../modules/ota/manifest.js";
import { UpdateRefused, type RefusalReason } from "../../modules/ota/refusal.js";
import { verifyManifest } from "../../modules/ota/trust.js";
import { DEVELOPMENT_KEY, PRODUCTION_KEY, trustedKeysFor } from "../../modules/ota/vendor-keys.js";
import { DEV_SIGNING_KEY } from "../../hosts/sim/ota/dev-key.js";
import { generateSigningKey, signBody, signManifest, type SigningKey } from "../../hosts/sim/ota/signing.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const IMAGE = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
const FIELDS = { version: "1.4.0", securityCounter: 3, model: "DL-1" };

function refusal(run: () => unknown): RefusalReason {
  const error = throws(run, UpdateRefused);
  return (error as UpdateRefused).reason;
}

function withSignature(manifest: Uint8Array, signature: Uint8Array): Uint8Array {
  return joinManifest(decodeManifest(manifest).body, signature);
}

export const cases: TestCase[] = [
  {
    name: "the development key's secret gives the public key built into development firmware",
    run() {
      deepEqual(DEV_SIGNING_KEY.publicKey, DEVELOPMENT_KEY.publicKey);
      deepEqual(DEV_SIGNING_KEY.keyId, DEVELOPMENT_KEY.keyId);
      ok(bytesToHex(PRODUCTION_KEY.keyId) !== bytesToHex(DEVELOPMENT_KEY.keyId));
    },
  },
  {
    name: "a development-signed manifest installs on a development build and is refused by a production build",
    run() {
      const manifest = signManifest(IMAGE, FIELDS, DEV_SIGNING_KEY);
      equal(verifyManifest(manifest, trustedKeysFor("development")).securityCounter, 3);
      equal(refusal(() => verifyManifest(manifest, trustedKeysFor("production"))), "unknown-key");
    },
  },
  {
    name: "unsigned, zero-signed, bit-flipped and borrowed signatures are refused",
    run() {
      const trust = trustedKeysFor("development");
      const manifest = signManifest(IMAGE, FIELDS, DEV_SIGNING_KEY);
      const body = decodeManifest(manifest).body;
      equal(refusal(() => verifyManifest(body, trust)), "malformed", "body without its signature");
      equal(refusal(() => verifyManifest(withSignature(manifest, new Uint8Array(64)), trust)), "bad-signature", "all-zero signature");
      for (const bit of [0, 255, 256, 511]) {
        const flipped = manifest.slice();
        flipped[body.length + (bit >> 3)] ^= 1 << (bit & 7);
        equal(refusal(() => verifyManifest(flipped, trust)), "bad-signature", `signature bit ${bit}`);
      }
      const other = signManifest(Uint8Array.from(IMAGE, (b) => b ^ 1), FIELDS, DEV_SIGNING_KEY);
      equal(refusal(() => verifyManifest(withSignature(manifest, decodeManifest(other).signature), trust)), "bad-signature",
        "the signature of a manifest for another image");
      const raised = body.slice();
      raised[4 + 2 + 8] += 1; // the security counter
      equal(refusal(() => verifyManifest(joinManifest(raised, decodeManifest(manifest).signature), trust)), "bad-signature", "altered body");
    },
  },
  {
    name: "a signature by another key carrying a trusted key id is a bad signature",
    run() {
      const impostor: SigningKey = { ...generateSigningKey(new SeededRandom("impostor")), keyId: DEV_SIGNING_KEY.keyId };
      const manifest = signManifest(IMAGE, FIELDS, impostor);
      equal(refusal(() => verifyManifest(manifest, trustedKeysFor("development"))), "bad-signature");
    },
  },
  {
    name: "a high-S signature (s replaced by n - s, as OpenSSL may produce) is accepted",
    run() {
      const manifest = signManifest(IMAGE, FIELDS, DEV_SIGNING_KEY);
      const { body, signature } = decodeManifest(manifest);
      deepEqual(signBody(body, DEV_SIGNING_KEY), signature, "deterministic signatures");
      const s = BigInt(`0x${bytesToHex(signature.subarray(32))}`);
      const highS = (P256_ORDER - s).toString(16).padStart(64, "0");
      const flipped = signature.slice();
      for (let i = 0; i < 32; i++) flipped[32 + i] = parseInt(highS.slice(2 * i, 2 * i + 2), 16);
      ok(bytesToHex(flipped) !== bytesToHex(signature));
      equal(verifyManifest(joinManifest(body, flipped), trustedKeysFor("development")).version.minor, 4);
    },
  },
];
