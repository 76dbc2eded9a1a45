/**
 * A firmware update through the whole composed firmware (modules/main.ts): the server's notice
 * comes down the uplink, the updater downloads the signed image over the simulated modem in the
 * uplink's sessions, the board test-boots it, the self-check (sensors read, server reached)
 * passes and the image is confirmed — with the data log still intact and still transmitting.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DEV_SIGNING_KEY } from "../../hosts/sim/ota/dev-key.js";
import { encodeSimImage } from "../../hosts/sim/ota/sim-image.js";
import { signManifest } from "../../hosts/sim/ota/signing.js";
import { UPDATE_HOST } from "../../hosts/sim/ota/update-server.js";
import { SIM_CA_PEM, SimWorld, simDeviceDocument } from "../../hosts/sim/world/sim-world.js";
import { encodeNotice } from "../../modules/ota/notice.js";
import { HARDWARE_MODEL } from "../../modules/version.js";

const HOUR = 3_600_000;
const sampling: unknown = JSON.parse(readFileSync(new URL("../../examples/config/example.json", import.meta.url), "utf8"));

describe("firmware update through the composed logger", function () {
  this.timeout(120_000);

  it("a signed image offered by the server is downloaded in the uplink's sessions, test-booted, self-checked and confirmed", () => {
    const landed: number[] = [];
    const world = new SimWorld({
      seed: "ota-e2e", days: 1, document: simDeviceDocument(sampling, { intervalS: 900 }),
      landing: { onSample: (_device, record) => landed.push(record.seq) },
    });
    const updates = world.network.addHttpsServer({ host: UPDATE_HOST, port: 443 }, {
      tls: { issuerPem: SIM_CA_PEM, keyType: "ecdsa", suites: [0xc02b, 0xc023], versions: ["TLSv1.2"], names: [UPDATE_HOST] },
    });
    world.start();
    world.board.scheduler.runFor(HOUR);
    const before = world.board.bootloader.booted?.image.version;
    assert.ok(before, "a factory image runs");
    const landedBefore = landed.length;
    assert.ok(landedBefore > 0, "data lands before the update");

    const payload = new Uint8Array(60_000).map((_, i) => (i * 31) & 0xff);
    const version = "9.1.0";
    const image = encodeSimImage({ version, securityCounter: 1, model: HARDWARE_MODEL, behaviour: 0, payload });
    const manifest = signManifest(image, { version, securityCounter: 1, model: HARDWARE_MODEL }, DEV_SIGNING_KEY);
    const url = updates.publish(`/images/${version}.bin`, image);
    world.server.receiver.pushUpdate(world.account.username, encodeNotice({ manifest, url }));

    world.board.scheduler.runFor(12 * HOUR);
    assert.equal(world.board.bootloader.booted?.image.version, version, "the new image runs");
    const status = world.parts?.ota?.status();
    assert.ok(status, "the updater runs on the new image");
    const installed = world.parts!.ota!.history().filter((entry) => entry.outcome === "installed");
    assert.equal(installed.length, 1, JSON.stringify(world.parts!.ota!.history()));
    assert.deepEqual(installed[0].version, { major: 9, minor: 1, patch: 0 });
    assert.ok(world.board.bootCount >= 2, "the logger rebooted into the image");
    assert.deepEqual(world.board.crashes, []);
    assert.ok(landed.length > landedBefore + 100, "the logger kept sampling and transmitting across the update");
    assert.equal(new Set(landed).size, landed.length, "nothing landed twice");
  });
});
