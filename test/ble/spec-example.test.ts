/**
 * docs/ble-session.md's worked example against the code (every line) and against the formulas of
 * the document, recomputed here with noble directly rather than through the protocol code.
 */
import assert from "node:assert/strict";
import { cbc } from "@noble/ciphers/aes.js";
import { p256 } from "@noble/curves/nist.js";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { decodeResponse } from "../../modules/ble/installer-messages.js";
import { EXAMPLE_STATUS, specExample } from "./spec-example.js";
import { docExample } from "../support/doc-example.js";

describe("docs/ble-session.md worked example", () => {
  const example = docExample("docs/ble-session.md", "## Worked example");
  const doc = { get: example.value };
  const hex = example.hex;

  it("every line is what the code computes", () => {
    assert.deepEqual(example.lines, specExample());
  });

  it("follows the key schedule as written", () => {
    const label = (name: string) => utf8ToBytes(`DL-BLE-1 ${name}`);
    const early = extract(sha256, hex("pairing_key"), label("psk"));
    assert.equal(bytesToHex(early), doc.get("early_secret"));
    assert.equal(bytesToHex(expand(sha256, early, label("binder"), 32)), doc.get("binder_key"));
    assert.equal(bytesToHex(expand(sha256, early, label("derived"), 32)), doc.get("handshake_salt"));

    const hello = hex("client_hello");
    assert.equal(bytesToHex(hello.subarray(2, 67)), doc.get("app_ephemeral_public"));
    assert.equal(bytesToHex(hmac(sha256, hex("binder_key"), hello.subarray(0, 67))), bytesToHex(hello.subarray(67)));

    const shared = p256.getSharedSecret(hex("device_ephemeral_secret"), hex("app_ephemeral_public")).subarray(1);
    assert.equal(bytesToHex(shared), doc.get("shared_x"));
    const hs = extract(sha256, shared, hex("handshake_salt"));
    assert.equal(bytesToHex(hs), doc.get("handshake_secret"));
    const serverHello = hex("server_hello");
    const thKeys = sha256(concatBytes(hello, serverHello.subarray(0, 66)));
    assert.equal(bytesToHex(thKeys), doc.get("key_transcript_hash"));
    const block = expand(sha256, hs, concatBytes(label("keys"), thKeys), 160);
    const order: Array<[string, number]> = [
      ["device_finished_key", 32], ["app_finished_key", 32], ["a2d_enc_key", 16], ["a2d_mac_key", 32], ["d2a_enc_key", 16], ["d2a_mac_key", 32],
    ];
    let offset = 0;
    for (const [name, length] of order) assert.equal(bytesToHex(block.subarray(offset, (offset += length))), doc.get(name), name);
    assert.equal(bytesToHex(hmac(sha256, hex("device_finished_key"), thKeys)), bytesToHex(serverHello.subarray(66)));
    const thFinished = sha256(concatBytes(hello, serverHello));
    assert.equal(bytesToHex(thFinished), doc.get("finished_transcript_hash"));
    assert.equal(`03${bytesToHex(hmac(sha256, hex("app_finished_key"), thFinished))}`, doc.get("client_finished"));
  });

  it("seals records as written, and the status reads back as the example says", () => {
    const open = (record: Uint8Array, encKey: Uint8Array, macKey: Uint8Array) => {
      const body = record.subarray(0, record.length - 32);
      assert.equal(bytesToHex(hmac(sha256, macKey, body)), bytesToHex(record.subarray(body.length)));
      return cbc(encKey, record.subarray(5, 21)).decrypt(record.subarray(21, body.length));
    };
    const request = hex("request_record");
    assert.equal(bytesToHex(request.subarray(0, 21)), `1000000000${doc.get("request_iv")}`);
    assert.equal(bytesToHex(open(request, hex("a2d_enc_key"), hex("a2d_mac_key"))), doc.get("request_plaintext"));
    const status = open(hex("status_record"), hex("d2a_enc_key"), hex("d2a_mac_key"));
    assert.equal(bytesToHex(status), doc.get("status_plaintext"));
    assert.deepEqual(decodeResponse(status), { kind: "status", status: EXAMPLE_STATUS });
  });
});
