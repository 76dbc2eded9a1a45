/**
 * A whole logger update in the simulated world: notice, download over sessions, verification of
 * the slot, test boot, self-check, confirmation; status and history along the way.
 */
import { decodeOtaReport, encodeOtaReport, formatOtaHealth } from "../../modules/ota/ota-report.js";
import { FormatError } from "../../modules/codec/byte-reader.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { assertUntouched, fillData, snapshot } from "./support/snapshots.js";
import { OtaWorld } from "./support/ota-world.js";

export const cases: TestCase[] = [
  {
    name: "an update is downloaded, verified, test-booted, self-checked and confirmed; log and configuration untouched",
    run() {
      const world = new OtaWorld({ seed: "happy", limits: { firstChunkEstimateMs: 3000 } });
      fillData(world.board);
      const before = snapshot(world.board);
      world.runFor(1000);
      const update = world.publish({ version: "1.0.0", securityCounter: 2, payloadBytes: 50_000 });
      deepEqual(world.notify(update.notice), { accepted: true });
      deepEqual(world.notify(update.notice), { accepted: true }, "the same notice again changes nothing");
      const status = world.ota.status();
      equal(status.update?.phase, "downloading");
      equal(status.update?.size, update.image.length);

      const reports = world.sessionsUntilDone(10, 6_000);
      ok(reports.length > 1, `a 6 s budget needs several sessions, took ${reports.length}`);
      deepEqual(reports.map((r) => r.outcome), [...reports.slice(0, -1).map(() => "paused"), "downloaded"]);
      equal(reports.reduce((sum, r) => sum + r.fetchedBytes, 0), update.image.length, "each byte fetched once");
      equal(world.server.servedBytes(), update.image.length);

      world.runFor(60_000);
      deepEqual(world.boots, ["0.1.0", "1.0.0"]);
      const after = world.ota.status();
      deepEqual(after.running, { version: "1.0.0", securityCounter: 2, testBoot: false });
      equal(after.securityFloor, 2);
      deepEqual(after.lastTrial, { mark: 1, outcome: { kind: "confirmed" } });
      equal(after.update, undefined);
      deepEqual(world.ota.history().map((e) => e.outcome), ["installed"]);
      equal(world.counters.get("ota.installed"), 1);
      assertUntouched(world.board, before, "after the update");
    },
  },
  {
    name: "the test boot runs the self-check before confirming; a second update follows the first",
    run() {
      const world = new OtaWorld({ seed: "twice" });
      world.selfCheckMs = 40_000;
      world.runFor(1000);
      world.notify(world.publish({ version: "1.0.0", securityCounter: 1 }).notice);
      world.sessionsUntilDone(3);
      world.runFor(20_000);
      const trial = world.ota.status();
      deepEqual(trial.running, { version: "1.0.0", securityCounter: 1, testBoot: true });
      equal(trial.activity, "self-check");
      equal(world.session().outcome, "test-boot");
      equal(world.notify(world.publish({ version: "1.1.0" }).notice).accepted, false, "no notice during the trial");
      world.runFor(40_000);
      equal(world.ota.status().running.testBoot, false);
      world.notify(world.publish({ version: "1.1.0", securityCounter: 1 }).notice);
      world.sessionsUntilDone(3);
      world.runFor(60_000);
      equal(world.running(), "1.1.0");
      deepEqual(world.ota.history().map((e) => `${e.outcome} ${e.version.major}.${e.version.minor}`), ["installed 1.0", "installed 1.1"]);
      deepEqual(world.ota.status().lastTrial, { mark: 2, outcome: { kind: "confirmed" } });
    },
  },
  {
    name: "status and history travel in the update report and show in the health line, during and after an update",
    run() {
      const world = new OtaWorld({ seed: "report", limits: { firstChunkEstimateMs: 3000 } });
      world.runFor(1000);
      const answer = world.notify({ manifest: Uint8Array.of(1, 200), url: "https://updates.example/x.bin" });
      equal(answer.accepted ? undefined : answer.reason, "malformed");
      const update = world.publish({ version: "1.0.0", securityCounter: 2 });
      world.notify(update.notice);
      const paused = world.session(6_000);
      equal(paused.outcome, "paused");
      const during = world.ota.report();
      deepEqual(decodeOtaReport(encodeOtaReport(during)), during);
      equal(formatOtaHealth(during), "ota run=0.1.0/1 floor=1 trial=0:none idle " +
        `update=logger:1.0.0:downloading:${paused.fetchedBytes}/${update.image.length} last=refused 0.0.0`);
      world.sessionsUntilDone(5);
      world.runFor(60_000);
      const after = world.ota.report();
      deepEqual(decodeOtaReport(encodeOtaReport(after)), after);
      equal(formatOtaHealth(after), "ota run=1.0.0/2 floor=2 trial=1:confirmed idle update=- last=installed 1.0.0");
      const bytes = encodeOtaReport(after);
      for (let length = 0; length < bytes.length; length++) throws(() => decodeOtaReport(bytes.subarray(0, length)), FormatError);
    },
  },
];
