/**
 * `datalogger sign`: keys, images, manifests (signed here, or as a body signed elsewhere and the
 * DER signature attached, as an HSM or OpenSSL would sign), notices, verification; and what it
 * makes installs on a simulated logger.
 */
import assert from "node:assert/strict";
import { createPrivateKey, sign as nodeSign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeManifest } from "../../modules/ota/manifest.js";
import { decodeNotice } from "../../modules/ota/notice.js";
import { UpdateRefused } from "../../modules/ota/refusal.js";
import { signCommand } from "../../hosts/sim/node/sign-command.js";
import { decodeSimImage, ImageBehaviour } from "../../hosts/sim/ota/sim-image.js";
import { OtaWorld } from "./support/ota-world.js";

function base64url(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64url");
}

describe("ota: datalogger sign", function () {
  let dir = "";
  const file = (name: string) => join(dir, name);
  const sign = async (...args: string[]) => assert.equal(await signCommand(args), 0, args.join(" "));
  const { log, error } = console;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "dl-sign-"));
    console.log = () => undefined;
    console.error = () => undefined;
  });
  afterEach(() => {
    console.log = log;
    console.error = error;
    rmSync(dir, { recursive: true, force: true });
  });

  it("makes an image and a dev-signed manifest and notice that a development logger installs", async () => {
    await sign("image", "--version", "2.0.0", "--counter", "2", "--out", file("image.bin"));
    await sign("manifest", "--image", file("image.bin"), "--version", "2.0.0", "--counter", "2", "--dev", "--out", file("manifest.bin"));
    await sign("verify", "--manifest", file("manifest.bin"));
    await assert.rejects(async () => signCommand(["verify", "--manifest", file("manifest.bin"), "--production"]), UpdateRefused);
    const world = new OtaWorld({ seed: "cli" });
    world.runFor(1000);
    const url = world.server.publish("/images/2.0.0.bin", new Uint8Array(readFileSync(file("image.bin"))));
    await sign("notice", "--manifest", file("manifest.bin"), "--url", url, "--out", file("notice.bin"));
    const notice = decodeNotice(new Uint8Array(readFileSync(file("notice.bin"))));
    assert.deepEqual(world.notify(notice), { accepted: true });
    assert.equal(world.session().outcome, "downloaded");
    world.runFor(60_000);
    assert.equal(world.running(), "2.0.0");
  });

  it("a body signed outside (OpenSSL, DER) is attached, checked against the key and verifies", async () => {
    await sign("keygen", "--out", file("key.json"));
    const key = JSON.parse(readFileSync(file("key.json"), "utf8")) as { secretKey: string; publicKey: string; keyId: string };
    assert.match(key.secretKey, /^[0-9a-f]{64}$/);
    assert.match(key.publicKey, /^04[0-9a-f]{128}$/);
    await sign("image", "--version", "1.5.0", "--counter", "4", "--behaviour", "fail-self-check", "--out", file("image.bin"));
    assert.equal(decodeSimImage(new Uint8Array(readFileSync(file("image.bin")))).behaviour, ImageBehaviour.FailSelfCheck);
    await sign("manifest", "--image", file("image.bin"), "--version", "1.5.0", "--counter", "4", "--key", file("key.json"),
      "--body-only", "--out", file("body.bin"));
    const body = readFileSync(file("body.bin"));
    const privateKey = createPrivateKey({
      key: { kty: "EC", crv: "P-256", d: base64url(key.secretKey), x: base64url(key.publicKey.slice(2, 66)), y: base64url(key.publicKey.slice(66)) },
      format: "jwk",
    });
    writeFileSync(file("body.sig"), nodeSign("sha256", body, privateKey));
    await sign("attach", "--body", file("body.bin"), "--signature", file("body.sig"), "--der", "--key", file("key.json"), "--out", file("m.bin"));
    await sign("verify", "--manifest", file("m.bin"), "--key", file("key.json"));
    const manifest = decodeManifest(new Uint8Array(readFileSync(file("m.bin"))));
    assert.equal(manifest.securityCounter, 4);
    assert.equal(Buffer.from(manifest.keyId).toString("hex"), key.keyId);
    await assert.rejects(async () => signCommand(["attach", "--body", file("body.bin"), "--signature", file("body.sig"), "--der", "--dev",
      "--out", file("x.bin")]), /does not verify/);
  });

  it("a modem manifest carries the package's revisions and URL", async () => {
    await sign("image", "--version", "1.0.0", "--counter", "1", "--out", file("pkg.bin"));
    await sign("manifest", "--image", file("pkg.bin"), "--version", "1.201.0", "--counter", "1", "--modem-from", "A_01.200",
      "--modem-to", "A_01.201", "--url", "https://updates.example/m.zip", "--dev", "--out", file("modem.bin"));
    const manifest = decodeManifest(new Uint8Array(readFileSync(file("modem.bin"))));
    assert.equal(manifest.target, "modem");
    assert.deepEqual(manifest.modem, { fromRevision: "A_01.200", toRevision: "A_01.201", url: "https://updates.example/m.zip" });
    assert.equal(await signCommand(["frobnicate"]), 2);
  });
});
