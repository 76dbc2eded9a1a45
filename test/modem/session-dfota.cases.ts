/**
 * The modem's own firmware update (DFOTA) through the session: the AT channel handed to the
 * updater with the session limit lifted, `AT+QFOTADL` in the simulated BG95 with its progress
 * reports and reboot, the new revision, the session set up again afterwards; and the faults: a
 * failed or refused download, broken packages, power lost while applying and while restoring.
 */
import type { ModemError } from "../../drivers/modem/bg9x/modem-error.js";
import type { FotaEvent } from "../../modules/ota/fota-urc.js";
import type { ModemPackage } from "../../modules/ota/manifest.js";
import { ModemFirmwareUpdater, type ModemUpdateResult } from "../../modules/ota/modem-dfota.js";
import { FOTA_ERRORS } from "../../hosts/sim/modem/fota-stack.js";
import { dfotaPackage } from "../../hosts/sim/ota/dfota-modem.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import { MODERN_SERVER, ModemWorld, OTHER_CA, TRUSTED_CA, mqttConfig, text } from "./support/modem-world.js";
import { SAMPLE_TOPIC } from "./support/record-uplink.js";

const BASE = "BG95M3LAR02A03_01.200.01.200";
const NEXT = "BG95M3LAR02A03_01.201.01.201";

function connect(world: ModemWorld, limitMs = 60_000): void {
  let result: ModemError | "ok" | undefined;
  world.session.connect(mqttConfig({ sessionLimitMs: limitMs }), (error) => { result = error ?? "ok"; });
  ok(world.runUntil(() => result !== undefined, 150_000), "connect finished");
  equal(result, "ok", typeof result === "object" ? result.detail : undefined);
}

function packageAt(world: ModemWorld, bytes: Uint8Array = dfotaPackage(BASE, NEXT)): ModemPackage {
  return { fromRevision: BASE, toRevision: NEXT, url: world.https.publish("/modem/201.zip", bytes) };
}

interface Run {
  events: FotaEvent["kind"][];
  result: ModemUpdateResult | undefined;
}

/** Hands the channel over and starts the update; the caller runs the world. */
function startUpdate(world: ModemWorld, pkg: ModemPackage): Run {
  let handed: ModemError | "ok" | undefined;
  world.session.beginModemUpdate((error) => { handed = error ?? "ok"; });
  ok(world.runUntil(() => handed !== undefined, 30_000), "hand-over finished");
  equal(handed, "ok");
  const run: Run = { events: [], result: undefined };
  new ModemFirmwareUpdater(world.session.modemUpdateAt, world.platform.timers).update(pkg, (event) => run.events.push(event.kind), (result) => {
    run.result = result;
    world.session.endModemUpdate();
  });
  return run;
}

function update(world: ModemWorld, pkg: ModemPackage): Run {
  const run = startUpdate(world, pkg);
  ok(world.runUntil(() => run.result !== undefined, 40 * 60_000), "update finished");
  return run;
}

function failure(run: Run): string {
  const result = run.result;
  return !result ? "none" : result.ok ? `ok ${result.revision}` : `${result.stage} ${result.error}`;
}

/** The whole logger loses power: the MCU stops and the modem's supply goes with it. */
function powerLoss(world: ModemWorld): void {
  world.board.cutPower();
  world.board.pins.drive(world.board.pinMap.modemSupply, 0);
  world.run(5000);
  world.board.powerOn();
}

export const cases: TestCase[] = [
  {
    name: "DFOTA: channel handed over with the CA, limit lifted, QFOTADL, progress, reboot, new revision; the session sets up again",
    run() {
      const world = new ModemWorld();
      connect(world);
      const pkg = packageAt(world);
      const started = world.now;
      const run = startUpdate(world, pkg);
      deepEqual(world.modem.files.get("fota_cacert.pem"), text(TRUSTED_CA), "the session's CA is the download's");
      equal(world.session.health.modemUpdate, true);
      ok(world.runUntil(() => run.result !== undefined, 40 * 60_000), "update finished");
      equal(failure(run), `ok ${NEXT}`);
      ok(world.now - started > 120_000, `the update ran ${world.now - started} ms, past the 60 s session limit`);
      equal(world.counters.get("modem.sessionLimit"), 0);
      equal(world.modem.firmware, NEXT);
      ok(world.modem.received.includes(`AT+QFOTADL="${pkg.url}"`));
      for (const kind of ["http-start", "http-end", "start", "updating", "restore", "end"] as const) ok(run.events.includes(kind), `${kind} reported`);
      equal(world.counters.get("modem.restarts"), 1, "the reboot was noticed and did not start a recovery");
      equal(world.session.health.modemUpdate, false);
      ok(world.runUntil(() => world.session.state === "ready", 60_000), "set up again");
      equal(world.session.health.firmware, NEXT, "AT+QGMR read at the new bring-up");
      let published: string | undefined;
      world.session.publish(SAMPLE_TOPIC, text("after"), (error) => { published = error ? error.kind : "ok"; });
      ok(world.runUntil(() => published !== undefined, 30_000));
      equal(published, "ok");
      const limitedAt = world.now;
      ok(world.runUntil(() => world.session.state === "off", 120_000), "a fresh session limit ends the session");
      ok(world.now - limitedAt <= 60_000 + 15_000, "the 60 s limit is back");
    },
  },
  {
    name: "the update's AT channel sends nothing unless handed over; a second hand-over is refused",
    run() {
      const world = new ModemWorld();
      connect(world);
      const before = world.modem.received.length;
      let final = "";
      world.session.modemUpdateAt.send({ text: "AT+QGMR", timeoutMs: 1000 }, (result) => { final = result.final.kind; });
      equal(final, "aborted");
      equal(world.modem.received.length, before);
      let first: string | undefined;
      let second: string | undefined;
      world.session.beginModemUpdate((error) => { first = error?.kind ?? "ok"; });
      world.session.beginModemUpdate((error) => { second = error?.kind ?? "ok"; });
      ok(world.runUntil(() => first !== undefined, 30_000));
      deepEqual([first, second], ["ok", "invalid-argument"]);
      world.session.endModemUpdate();
      world.session.modemUpdateAt.send({ text: "AT+QGMR", timeoutMs: 1000 }, (result) => { final = result.final.kind; });
      equal(final, "aborted", "taken back");
    },
  },
  {
    name: "download failures: an HTTP error, a missing package, a server the CA does not vouch for; the modem keeps its firmware",
    run() {
      const world = new ModemWorld();
      connect(world);
      world.modem.faults.fotaDownloadError = 702;
      equal(failure(update(world, packageAt(world))), "download 702");
      const missing = { ...packageAt(world), url: world.https.publish("/modem/other.zip", new Uint8Array(1)).replace("other", "absent") };
      equal(failure(update(world, missing)), `download ${FOTA_ERRORS.HttpUnknown}`);
      const foreign = { host: "fota.example.net", port: 443 };
      const server = world.network.addHttpsServer(foreign, { tls: { ...MODERN_SERVER, issuerPem: OTHER_CA, names: [foreign.host] } });
      const untrusted = update(world, { ...packageAt(world), url: server.publish("/201.zip", dfotaPackage(BASE, NEXT)) });
      equal(failure(untrusted), "download 701");
      equal(server.requests.length, 0, "nothing fetched from a server with another CA");
      equal(world.modem.firmware, BASE);
      ok(world.runUntil(() => world.session.state === "ready", 60_000), "the session carries on");
    },
  },
  {
    name: "broken packages: garbage fails with 504, a package for another revision with 510; the modem answers again afterwards",
    run() {
      const world = new ModemWorld();
      connect(world, 600_000);
      equal(failure(update(world, packageAt(world, text("PK\u0003\u0004 not a delta")))), `apply ${FOTA_ERRORS.BadPackage}`);
      equal(failure(update(world, packageAt(world, dfotaPackage("BG95M3LAR02A03_01.100.01.100", NEXT)))), `apply ${FOTA_ERRORS.PatchMismatch}`);
      equal(world.modem.firmware, BASE);
      equal(world.counters.get("modem.restarts"), 0, "no reboot after a failed apply");
      let answered = "";
      world.session.pause(() => undefined);
      world.session.sendAt("AT+QGMR", (lines, final) => { answered = `${lines.join()} ${final}`; });
      world.run(1000);
      equal(answered, `${BASE} OK`);
    },
  },
  {
    name: "power lost while applying: the modem starts on its old firmware and a new attempt succeeds",
    run() {
      const world = new ModemWorld();
      connect(world, 600_000);
      const pkg = packageAt(world);
      startUpdate(world, pkg);
      ok(world.runUntil(() => world.modem.fota.stage === "updating" && world.modem.fota.percent >= 30, 10 * 60_000), "applying");
      powerLoss(world);
      connect(world, 600_000);
      equal(world.session.health.firmware, BASE);
      equal(world.modem.fota.stage, "idle");
      equal(failure(update(world, pkg)), `ok ${NEXT}`);
    },
  },
  {
    name: "power lost while restoring: the next power-up finishes the update before the modem starts, on the new firmware",
    run() {
      const world = new ModemWorld();
      connect(world, 600_000);
      startUpdate(world, packageAt(world));
      ok(world.runUntil(() => world.modem.fota.stage === "restoring" && world.modem.fota.percent >= 50, 10 * 60_000), "restoring");
      powerLoss(world);
      equal(world.modem.fota.stage, "restoring", "what survives the power loss");
      connect(world, 600_000);
      equal(world.session.health.firmware, NEXT);
      equal(world.modem.fota.stage, "idle");
      ok(world.session.transcript().some((entry) => entry.text.indexOf("Last upgrade was not finished") >= 0), "the module said it resumed");
    },
  },
];
