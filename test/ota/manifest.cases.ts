/** The manifest and notice formats: round trips, and every kind of malformed input refused cleanly. */
import { FormatError } from "../../modules/codec/byte-reader.js";
import { decodeManifest, encodeManifestBody, joinManifest, MAX_MANIFEST_BYTES, type ManifestBody } from "../../modules/ota/manifest.js";
import { decodeNotice, encodeNotice } from "../../modules/ota/notice.js";
import { compareVersions, parseVersion } from "../../modules/ota/version.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

const SIGNATURE = new Uint8Array(64).fill(0xab);

function loggerBody(): ManifestBody {
  return {
    target: "logger", keyId: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), securityCounter: 7,
    version: { major: 1, minor: 2, patch: 300 }, imageSize: 123_456, imageSha256: new Uint8Array(32).fill(0x5a), model: "DL-1",
  };
}

function modemBody(): ManifestBody {
  return {
    ...loggerBody(), target: "modem",
    modem: { fromRevision: "BG95M3LAR02A03_01.200.01.200", toRevision: "BG95M3LAR02A03_01.201.01.201", url: "https://updates.example/m.zip" },
  };
}

function manifestWith(mutate: (body: Uint8Array) => Uint8Array): Uint8Array {
  return joinManifest(mutate(encodeManifestBody(loggerBody())), SIGNATURE);
}

export const cases: TestCase[] = [
  {
    name: "a logger manifest and a modem manifest decode to what was encoded, body and signature kept apart",
    run() {
      for (const body of [loggerBody(), modemBody()]) {
        const encoded = encodeManifestBody(body);
        const decoded = decodeManifest(joinManifest(encoded, SIGNATURE));
        deepEqual(decoded.body, encoded);
        deepEqual(decoded.signature, SIGNATURE);
        const { body: _body, signature: _signature, ...fields } = decoded;
        deepEqual(fields as ManifestBody, body);
      }
    },
  },
  {
    name: "every truncation of a manifest is a FormatError, never a partial manifest",
    run() {
      const whole = joinManifest(encodeManifestBody(modemBody()), SIGNATURE);
      for (let length = 0; length < whole.length; length++) {
        throws(() => decodeManifest(whole.subarray(0, length)), FormatError, `length ${length}`);
      }
    },
  },
  {
    name: "wrong magic, unknown format or target, zero size, extra bytes and over-long input are refused",
    run() {
      const patch = (offset: number, value: number) => manifestWith((b) => { b[offset] = value; return b; });
      throws(() => decodeManifest(patch(0, 0x45)), /magic/);
      throws(() => decodeManifest(patch(4, 2)), /format 2/);
      throws(() => decodeManifest(patch(5, 3)), /target 3/);
      throws(() => decodeManifest(manifestWith((b) => { const c = new Uint8Array(b.length + 1); c.set(b); return c; })), /unexpected byte/);
      const zero = encodeManifestBody(loggerBody());
      // imageSize follows magic, format, target, key id, counter and the version parts 1, 2, 300 (1 + 1 + 2 bytes).
      const sizeAt = 4 + 2 + 8 + 4 + 4;
      zero.fill(0, sizeAt, sizeAt + 4);
      throws(() => decodeManifest(joinManifest(zero, SIGNATURE)), /size is zero/);
      throws(() => decodeManifest(new Uint8Array(MAX_MANIFEST_BYTES + 1)), /exceeds/);
    },
  },
  {
    name: "text fields must be printable ASCII without spaces or quotes; the modem URL must be https",
    run() {
      for (const model of ["", "DL 1", "DL\"1", "DL-\u00e91", "x".repeat(33)]) {
        throws(() => encodeManifestBody({ ...loggerBody(), model }), RangeError, JSON.stringify(model));
      }
      const plain = modemBody();
      plain.modem = { ...plain.modem!, url: "http://updates.example/m.zip" };
      throws(() => encodeManifestBody(plain), /https/);
      // A body whose model bytes hold a space decodes to an error, not to a model with a space.
      const body = encodeManifestBody(loggerBody());
      const modelText = body.length - 4; // "DL-1" ends the body of a logger manifest
      body[modelText + 2] = 0x20;
      throws(() => decodeManifest(joinManifest(body, SIGNATURE)), FormatError);
    },
  },
  {
    name: "a notice carries the manifest and the URL; malformed notices are FormatErrors",
    run() {
      const manifest = joinManifest(encodeManifestBody(loggerBody()), SIGNATURE);
      const notice = { manifest, url: "https://updates.example/images/1.2.300.bin" };
      const encoded = encodeNotice(notice);
      deepEqual(decodeNotice(encoded), notice);
      deepEqual(decodeNotice(encodeNotice({ manifest, url: "" })), { manifest, url: "" });
      for (let length = 0; length < encoded.length; length++) throws(() => decodeNotice(encoded.subarray(0, length)), FormatError);
      const extra = new Uint8Array(encoded.length + 1);
      extra.set(encoded);
      throws(() => decodeNotice(extra), /after the notice/);
      const wrongFormat = encoded.slice();
      wrongFormat[0] = 9;
      throws(() => decodeNotice(wrongFormat), /format 9/);
    },
  },
  {
    name: "versions parse strictly and compare part by part",
    run() {
      deepEqual(parseVersion("1.10.0"), { major: 1, minor: 10, patch: 0 });
      for (const bad of ["1.2", "1.2.3.4", "01.2.3", "1.2.65536", "1.-2.3", " 1.2.3", "v1.2.3"]) equal(parseVersion(bad), undefined, bad);
      ok(compareVersions(parseVersion("1.10.0")!, parseVersion("1.9.9")!) > 0);
      ok(compareVersions(parseVersion("2.0.0")!, parseVersion("10.0.0")!) < 0);
      equal(compareVersions(parseVersion("3.1.4")!, parseVersion("3.1.4")!), 0);
    },
  },
];
