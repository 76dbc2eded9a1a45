/**
 * Modem firmware updates by DFOTA, started only by a signed modem manifest: the AT exchange with a
 * DFOTA-capable simulated modem, its progress reports, the logger kept awake, the result in the
 * history, and the failures (HTTP error, apply error, wrong base revision, a modem gone silent).
 */
import { parseFotaUrc } from "../../modules/ota/fota-urc.js";
import { DEV_SIGNING_KEY } from "../../hosts/sim/ota/dev-key.js";
import { dfotaPackage, DFOTA_ERRORS } from "../../hosts/sim/ota/dfota-modem.js";
import { signManifest } from "../../hosts/sim/ota/signing.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { MODEM_BASE_REVISION, OtaWorld } from "./support/ota-world.js";

const NEXT_REVISION = "BG95M3LAR02A03_01.201.01.201";

function modemUpdate(world: OtaWorld, fromRevision = MODEM_BASE_REVISION) {
  const url = world.server.publish("/modem/201.zip", dfotaPackage(fromRevision, NEXT_REVISION));
  const manifest = signManifest(dfotaPackage(fromRevision, NEXT_REVISION), {
    version: "1.201.0", securityCounter: 1, model: "DL-1", modem: { fromRevision, toRevision: NEXT_REVISION, url },
  }, DEV_SIGNING_KEY);
  return { manifest, url: "" };
}

function sentFota(world: OtaWorld): boolean {
  return world.modem.received.some((line) => line.startsWith("AT+QFOTADL"));
}

function lastEntry(world: OtaWorld): string {
  const history = world.ota.history();
  const entry = history[history.length - 1];
  if (!entry) return "none";
  if (entry.outcome === "modem-failed") return `${entry.outcome} ${entry.error}`;
  if (entry.outcome === "refused") return `${entry.outcome} ${entry.reason}`;
  return entry.outcome;
}

export const cases: TestCase[] = [
  {
    name: "DFOTA reports parse; anything else is not a FOTA report",
    run() {
      deepEqual(parseFotaUrc('+QIND: "FOTA","HTTPSTART"'), { kind: "http-start" });
      deepEqual(parseFotaUrc('+QIND: "FOTA","HTTPEND",702'), { kind: "http-end", error: 702 });
      deepEqual(parseFotaUrc('+QIND: "FOTA","UPDATING",37%'), { kind: "updating", percent: 37 });
      deepEqual(parseFotaUrc('+QIND: "FOTA","RESTORE",5'), { kind: "restore", percent: 5 });
      deepEqual(parseFotaUrc('+QIND: "FOTA","END",0'), { kind: "end", error: 0 });
      deepEqual(parseFotaUrc('+QIND: "FOTA","Last upgrade was not finished,continue upgrade"'), { kind: "resumed" });
      for (const line of ['+QIND: "FOTA","UPDATING",101%', '+QIND: "FOTA","END"', '+QIND: "SMS DONE"', '+QIND: "FOTA","START",1']) {
        equal(parseFotaUrc(line), undefined, line);
      }
    },
  },
  {
    name: "a signed modem manifest updates the modem: QFOTADL, progress, reboot, new revision confirmed, logger kept awake",
    run() {
      const world = new OtaWorld({ seed: "dfota" });
      world.runFor(1000);
      deepEqual(world.notify(modemUpdate(world)), { accepted: true });
      equal(world.ota.status().update?.phase, "modem-pending");
      const progress: string[] = [];
      const awake: number[] = [];
      const sample = () => {
        const update = world.agent?.status().update;
        if (update?.modemProgress) progress.push(update.modemProgress.kind);
        awake.push(world.wakeLocks);
        if (update) world.scheduler.after(10_000, sample);
      };
      world.scheduler.after(5_000, sample);
      const report = world.session();
      equal(report.outcome, "modem-updated");
      equal(world.modem.revision, NEXT_REVISION);
      ok(world.modem.received.includes(`AT+QFOTADL="https://${world.server.host}/modem/201.zip"`), "the package URL from the manifest");
      ok(progress.includes("http-start") && progress.includes("updating"), `progress seen: ${progress.join(",")}`);
      ok(awake.length > 5 && awake.every((held) => held === 1), "the wake lock was held throughout");
      equal(world.wakeLocks, 0, "and released");
      equal(lastEntry(world), "modem-updated");
      equal(world.ota.status().update, undefined);
      equal(world.counters.get("ota.modemUpdated"), 1);
    },
  },
  {
    name: "HTTP and apply errors, a wrong base revision and a silent modem end in a recorded failure",
    run() {
      const http = new OtaWorld({ seed: "dfota-http" });
      http.runFor(1000);
      http.modem.faults = { httpError: 702 };
      http.notify(modemUpdate(http));
      equal(http.session().outcome, "modem-failed");
      equal(lastEntry(http), "modem-failed 702");
      equal(http.modem.revision, MODEM_BASE_REVISION);

      const apply = new OtaWorld({ seed: "dfota-apply" });
      apply.runFor(1000);
      apply.modem.faults = { applyError: DFOTA_ERRORS.PackageMismatch };
      apply.notify(modemUpdate(apply));
      equal(apply.session().outcome, "modem-failed");
      equal(lastEntry(apply), `modem-failed ${DFOTA_ERRORS.PackageMismatch}`);

      const base = new OtaWorld({ seed: "dfota-base" });
      base.runFor(1000);
      base.notify(modemUpdate(base, "BG95M3LAR02A03_01.199.01.199"));
      equal(base.session().outcome, "refused");
      equal(lastEntry(base), "refused wrong-base");
      equal(sentFota(base), false, "QFOTADL never sent to a modem on another base");

      const silent = new OtaWorld({ seed: "dfota-silent" });
      silent.runFor(1000);
      silent.modem.faults = { silentAfter: "START" };
      silent.notify(modemUpdate(silent));
      const started = silent.scheduler.now;
      equal(silent.session().outcome, "modem-failed");
      equal(lastEntry(silent), "modem-failed 0");
      ok(silent.scheduler.now - started >= 5 * 60_000, "gave up after the stall limit");
      equal(silent.wakeLocks, 0);
    },
  },
  {
    name: "a logger restart during the modem update: the next session reads the revision and reports the result",
    run() {
      const world = new OtaWorld({ seed: "dfota-restart" });
      world.runFor(1000);
      world.notify(modemUpdate(world));
      world.inFirmware((agent) => agent.runSession(120_000, () => undefined));
      world.runFor(60_000);
      world.inFirmware(() => world.board.cutPower());
      world.board.powerOn();
      world.runFor(10 * 60_000);
      equal(world.ota.status().update?.phase, "modem-updating");
      equal(world.session().outcome, "modem-updated");
      equal(world.modem.received.filter((line) => line.startsWith("AT+QFOTADL")).length, 1, "the update was not sent twice");
      equal(lastEntry(world), "modem-updated");
    },
  },
  {
    name: "only a signed manifest starts a modem update",
    run() {
      const world = new OtaWorld({ seed: "dfota-unsigned" });
      world.runFor(1000);
      const notice = modemUpdate(world);
      const forged = notice.manifest.slice();
      forged[forged.length - 1] ^= 1;
      const answer = world.notify({ manifest: forged, url: "" });
      equal(answer.accepted ? undefined : answer.reason, "bad-signature");
      deepEqual(world.session(), { outcome: "nothing-to-do", fetchedBytes: 0 });
      equal(sentFota(world), false);
    },
  },
  {
    name: "a logger built without a modem updater refuses modem packages",
    run() {
      const world = new OtaWorld({ seed: "dfota-none", withoutModemUpdater: true });
      world.runFor(1000);
      const answer = world.notify(modemUpdate(world));
      equal(answer.accepted ? undefined : answer.reason, "unsupported");
      equal(lastEntry(world), "refused unsupported");
      equal(sentFota(world), false);
    },
  },
];
