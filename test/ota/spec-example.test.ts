/**
 * docs/firmware-update.md's worked examples against the code, and against the document's own
 * layouts recomputed here with noble and plain byte arithmetic.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { crc32 } from "../../modules/codec/crc32.js";
import { MAX_MANIFEST_BYTES } from "../../modules/ota/manifest.js";
import { DEVELOPMENT_KEY } from "../../modules/ota/vendor-keys.js";
import { EXAMPLE_URL, specExample } from "./spec-example.js";
import { docExample } from "../support/doc-example.js";

describe("docs/firmware-update.md worked examples", () => {
  const example = docExample("docs/firmware-update.md", "## 14. Worked examples");
  const doc = { get: example.value };
  const hex = example.hex;

  it("every line is what the code computes", () => {
    assert.deepEqual(example.lines, specExample());
  });

  it("the key id and the signature follow §3", () => {
    assert.equal(bytesToHex(sha256(hex("dev_public_key")).subarray(0, 8)), doc.get("dev_key_id"));
    assert.equal(doc.get("dev_public_key"), bytesToHex(DEVELOPMENT_KEY.publicKey));
    assert.ok(p256.verify(hex("manifest_signature"), hex("manifest_body"), hex("dev_public_key"), { lowS: false }));
    assert.equal(bytesToHex(sha256(hex("image"))), doc.get("image_sha256"));
  });

  it("the manifest, notice and image bytes sit where the layouts say", () => {
    const body = hex("manifest_body");
    assert.equal(new TextDecoder().decode(body.subarray(0, 4)), "DLUM");
    assert.equal(bytesToHex(body.subarray(6, 14)), doc.get("dev_key_id"));
    assert.equal(new DataView(body.buffer).getUint32(14, true), 2, "security counter");
    assert.deepEqual([...body.subarray(18, 21)], [1, 2, 0], "version 1.2.0");
    assert.equal(new DataView(body.buffer).getUint32(21, true), hex("image").length, "image size");
    assert.equal(bytesToHex(body.subarray(25, 57)), doc.get("image_sha256"));
    const notice = hex("notice");
    assert.equal(notice[1], body.length + 64);
    assert.equal(new TextDecoder().decode(notice.subarray(notice.length - EXAMPLE_URL.length)), EXAMPLE_URL);
    const image = hex("image");
    assert.equal(bytesToHex(sha256(image.subarray(0, image.length - 32))), bytesToHex(image.subarray(image.length - 32)));
    assert.ok(readFileSync("docs/firmware-update.md", "utf8").includes(`over ${MAX_MANIFEST_BYTES} bytes`));
  });

  it("the journal record, update report and boot state carry their CRCs and the history as described", () => {
    const record = hex("journal_record");
    const view = new DataView(record.buffer);
    const length = view.getUint32(8, true);
    assert.equal(view.getUint32(12 + length, true), crc32(record, 4, 12 + length));
    assert.equal(bytesToHex(record.subarray(15, 12 + length)), doc.get("history"));
    assert.ok(bytesToHex(hex("update_report")).endsWith(doc.get("history")!));
    const history = hex("history");
    assert.equal(new DataView(history.buffer).getUint32(6, true), Date.UTC(2026, 4, 28, 20, 26, 40) / 1000);
    const state = hex("boot_state");
    assert.equal(new DataView(state.buffer).getUint32(20, true), crc32(state, 0, 20));
  });
});
