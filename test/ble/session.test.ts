/**
 * The installer session end to end over the simulated BLE link: the reference app against the
 * device service, then an attacker's view of every message (MITM, replays, mutations, state
 * violations, timeouts, backoff). Every failure must end in a dropped connection, with the device
 * silent before authentication and the logger still running.
 */
import assert from "node:assert/strict";
import { InstallerApp } from "../../hosts/sim/app/installer-app.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { InstallerCharacteristic } from "../../modules/ble/gatt.js";
import type { InstallerStatus, SiteCheckResult } from "../../modules/ble/installer-status.js";
import { pskSecrets } from "../../modules/ble/key-schedule.js";
import { assertStillRunning } from "./assertions.js";
import { AppSteps, appRandom, establish, LOGGER_KEY, RawCentral, SAMPLE_SITE_CHECK, SAMPLE_STATUS, startLogger } from "./harness.js";

const { request: REQUEST, notification: NOTIFICATION } = InstallerCharacteristic;


describe("BLE installer session: the reference app", () => {
  it("pairs, reads the status live, runs a site check and ends the session", () => {
    const logger = startLogger();
    const statuses: InstallerStatus[] = [];
    const siteChecks: SiteCheckResult[] = [];
    const closed: string[] = [];
    const app = new InstallerApp({
      link: logger.board.ble,
      scheduler: logger.board.scheduler,
      pairingKey: LOGGER_KEY,
      random: appRandom("reference"),
      pollIntervalMs: 1000,
      onStatus: (status) => statuses.push(status),
      onSiteCheckResult: (result) => siteChecks.push(result),
      onClosed: (reason) => closed.push(reason),
    });
    assert.ok(app.connect());
    logger.run(200);
    assert.equal(app.state, "established");
    assert.equal(logger.service().state, "established");
    logger.run(4_000);
    assert.ok(statuses.length >= 4, `${statuses.length} status updates in 4 s`);
    assert.deepEqual(statuses[0], SAMPLE_STATUS);
    logger.source.current = { ...SAMPLE_STATUS, batteryV: 3.5 };
    logger.run(1_000);
    assert.equal(statuses[statuses.length - 1].batteryV, 3.5, "live: the next poll shows the change");

    app.requestSiteCheck();
    logger.run(100);
    assert.equal(logger.source.pendingSiteChecks.length, 1);
    logger.run(5_000);
    logger.source.finishSiteCheck();
    logger.run(100);
    assert.deepEqual(siteChecks, [SAMPLE_SITE_CHECK]);

    app.close();
    logger.run(500);
    assert.deepEqual(closed, ["closed by the app"]);
    assert.equal(logger.service().state, "advertising");
    assert.equal(logger.counters.get("ble.sessions"), 1);
    assert.equal(logger.counters.get("ble.failedHandshakes"), 0);
    assertStillRunning(logger);
  });

  it("carries a status too long for one GATT value in several fragments", () => {
    const logger = startLogger();
    logger.source.current = {
      ...SAMPLE_STATUS,
      sensors: Array.from({ length: 32 }, (_, i) => ({ channel: i, time: Date.UTC(2026, 0, 1), value: i / 3, flags: 0 })),
    };
    const central = new RawCentral(logger.board.ble);
    const steps = establish(logger, central);
    central.send(REQUEST, steps.request({ kind: "status" }));
    logger.run(200);
    const fragments = central.notifications.filter((n) => n.characteristic === NOTIFICATION);
    assert.ok(fragments.length >= 3, `${fragments.length} fragments`);
    assert.ok(fragments.every((f) => f.value.length <= logger.board.ble.mtu - 3));
    assert.deepEqual(steps.response(central.last()!), { kind: "status", status: logger.source.current });
  });

  it("refuses a second site check while one runs, and never hands a result to a later session", () => {
    const logger = startLogger();
    const central = new RawCentral(logger.board.ble);
    const first = establish(logger, central);
    central.send(REQUEST, first.request({ kind: "site-check" }));
    central.send(REQUEST, first.request({ kind: "site-check" }));
    logger.run(200);
    const answers = central.messages.filter((m) => m.characteristic === NOTIFICATION).map((m) => first.response(m.message));
    assert.deepEqual(answers, [{ kind: "site-check-started", accepted: true }, { kind: "site-check-started", accepted: false }]);
    central.disconnect();
    logger.run(200);

    const next = new RawCentral(logger.board.ble);
    const second = establish(logger, next, new AppSteps(LOGGER_KEY, appRandom("second")));
    logger.source.finishSiteCheck();
    logger.run(200);
    assert.equal(next.messages.filter((m) => m.characteristic === NOTIFICATION).length, 0, "the old result is not sent");
    next.send(REQUEST, second.request({ kind: "site-check" }));
    logger.run(200);
    logger.source.finishSiteCheck();
    logger.run(200);
    const kinds = next.messages.filter((m) => m.characteristic === NOTIFICATION).map((m) => second.response(m.message).kind);
    assert.deepEqual(kinds, ["site-check-started", "site-check-result"]);
  });

  it("drops an authenticated session that stays idle, but not one that polls", () => {
    const logger = startLogger({ idleTimeoutMs: 60_000 });
    const app = new InstallerApp({
      link: logger.board.ble, scheduler: logger.board.scheduler, pairingKey: LOGGER_KEY, random: appRandom("poll"), pollIntervalMs: 10_000,
    });
    app.connect();
    logger.run(300_000);
    assert.equal(app.state, "established");

    const quiet = startLogger({ idleTimeoutMs: 60_000 });
    const central = new RawCentral(quiet.board.ble);
    establish(quiet, central);
    quiet.run(59_000);
    assert.ok(central.connected);
    quiet.run(2_000);
    assert.equal(central.connected, false);
    assert.equal(quiet.counters.get("ble.drop.timeout"), 1);
    assert.equal(quiet.counters.get("ble.failedHandshakes"), 0, "an idle drop is not a failed handshake");
  });

  it("offers no service on a logger without a pairing key", () => {
    const logger = startLogger({ key: null });
    assert.equal(logger.board.ble.advertising, undefined);
    assert.throws(() => logger.service(), /did not start/);
    assert.ok(logger.board.traceLog.some((line) => line.includes("no pairing key")));
  });

  it("never traces the pairing key or anything derived from it", () => {
    const logger = startLogger();
    const central = new RawCentral(logger.board.ble);
    const steps = establish(logger, central);
    central.send(REQUEST, steps.request({ kind: "status" }));
    central.send(REQUEST, steps.request({ kind: "status" }).map((b, i) => (i === 30 ? b ^ 1 : b)));
    logger.run(200);
    const secrets = pskSecrets(LOGGER_KEY);
    const keys = steps.handshake!.keys;
    const secretHex = [LOGGER_KEY, secrets.binderKey, secrets.handshakeSalt, keys.appToDevice.encKey, keys.appToDevice.macKey,
      keys.deviceToApp.encKey, keys.deviceToApp.macKey, keys.appFinishedKey, keys.deviceFinishedKey]
      .map((bytes) => bytesToHex(bytes.subarray(0, 8)));
    const trace = logger.board.traceLog.join("\n").toLowerCase();
    assert.ok(trace.includes("ble: dropped (sequence)") || trace.includes("ble: dropped (mac)"));
    for (const hex of secretHex) assert.ok(!trace.includes(hex), `trace holds ${hex}`);
  });
});
