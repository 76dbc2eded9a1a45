/**
 * The uplink's clock keeping (which source sets the clock, the re-stamp windows) and its handling
 * of configuration changes against the real configuration store, on a simulated board.
 */
import { ConfigStore } from "../../modules/config/config-store.js";
import type { Platform } from "../../modules/platform/platform.js";
import { SampleFlag, timeQualityFlags, timeQualityOf, type Sample } from "../../modules/records/sample.js";
import { ConfigChanges } from "../../modules/uplink/config-changes.js";
import { ConfigOutcome } from "../../modules/uplink/report.js";
import { ReportQueue } from "../../modules/uplink/report-queue.js";
import { decodeWindows, TimeKeeper } from "../../modules/uplink/time-keeper.js";
import type { UplinkRecord } from "../../modules/uplink/records.js";
import { SimBoard } from "../../hosts/sim/board.js";
import * as assert from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { channelSet } from "./support/uplink-world.js";

const HOUR = 3_600_000;

function boot(): { board: SimBoard; platform: Platform } {
  const board = new SimBoard({ seed: "time", epochMs: Date.UTC(2026, 2, 1) });
  let platform: Platform | undefined;
  board.start((p) => { platform = p; });
  return { board, platform: platform! };
}

function sample(seq: number, time: number, quality: "unset" | "rtc" | "server"): UplinkRecord {
  const value: Sample = { channel: 1, time, value: 2.5, flags: timeQualityFlags(quality) | SampleFlag.Saturated };
  return { kind: "sample", seq, sample: value };
}

function document(version: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version, sampling: channelSet(), apn: "iot.example",
    uplink: { transport: "mqtt", host: "broker.example.net", port: 8883, intervalS: 3600, revertAfterFailedSessions: 2 },
    ...overrides,
  };
}

export const cases: TestCase[] = [
  {
    name: "the first setting of an unset clock opens a re-stamp window over this boot's records; later ones do not",
    run() {
      const { board, platform } = boot();
      const { clock } = platform;
      clock.setTime(clock.now() - 2 * HOUR, "unset");
      const keeper = new TimeKeeper(clock, platform.storage, 101);
      const before = clock.now();
      assert.equal(keeper.observe(board.trueTime(), "network", 150), 2 * HOUR);
      assert.equal(clock.quality, "network");
      assert.deepEqual(keeper.windows, [{ firstSeq: 101, lastSeq: 150, offsetMs: 2 * HOUR }]);
      assert.equal(keeper.observe(board.trueTime() + 5 * HOUR, "network", 170), 5 * HOUR, "a later jump moves the clock");
      assert.equal(keeper.windows.length, 1, "but re-stamps nothing: those records carry network time");
      const restamped = keeper.restamp(sample(120, before - 60_000, "unset"));
      assert.deepEqual(restamped, { kind: "sample", seq: 120, sample: { channel: 1, time: before - 60_000 + 2 * HOUR, value: 2.5, flags: timeQualityFlags("rtc") | SampleFlag.Saturated } });
      assert.deepEqual(keeper.restamp(sample(100, before, "unset")), sample(100, before, "unset"), "an earlier boot's record keeps its time");
      assert.deepEqual(keeper.restamp(sample(130, before, "server")), sample(130, before, "server"), "a record stamped by a set clock is left alone");
      assert.deepEqual(keeper.restamp({ kind: "gap", seq: 140, lost: 3, reason: 1, time: before }), { kind: "gap", seq: 140, lost: 3, reason: 1, time: before + 2 * HOUR });
    },
  },
  {
    name: "re-stamp windows survive a reset in storage and go once everything in them is acknowledged",
    run() {
      const { board, platform } = boot();
      platform.clock.setTime(platform.clock.now() + 90_000, "unset");
      new TimeKeeper(platform.clock, platform.storage, 1).observe(board.trueTime(), "server", 40);
      const again = new TimeKeeper(platform.clock, platform.storage, 41);
      assert.deepEqual(again.windows, [{ firstSeq: 1, lastSeq: 40, offsetMs: -90_000 }]);
      again.acknowledged(39);
      assert.equal(decodeWindows(platform.storage.read("upl.restamp")).length, 1);
      again.acknowledged(40);
      assert.equal(platform.storage.read("upl.restamp"), undefined);
      assert.deepEqual(decodeWindows(Uint8Array.of(1, 2, 3)), [], "an unreadable entry counts as none");
    },
  },
  {
    name: "which source sets the clock: better ones always, equal ones beyond their tolerance, lesser ones only when far off",
    run() {
      const { board, platform } = boot();
      const keeper = new TimeKeeper(platform.clock, platform.storage, 1);
      assert.equal(keeper.observe(board.trueTime() + 300, "server", 0), 300, "server time over an unset clock");
      assert.equal(platform.clock.quality, "server");
      assert.equal(keeper.observe(board.trueTime() + 300 + 400, "server", 0), 0, "400 ms is within the server's tolerance");
      assert.equal(keeper.observe(board.trueTime() + 300 + 900, "server", 0), 900);
      assert.equal(keeper.observe(board.trueTime() + 1200 + 15_000, "network", 0), 0, "network time does not override the server's for 15 s");
      assert.equal(keeper.observe(board.trueTime() + 1200 + 25_000, "network", 0), 25_000, "but it does for 25 s");
      assert.equal(timeQualityOf(timeQualityFlags(platform.clock.quality)), "network");
      assert.equal(keeper.sets, 3);
    },
  },
  {
    name: "a configuration change: refused when it does not validate, applied (restart) when it does, confirmed once a session reaches the server",
    run() {
      const { platform } = boot();
      const store = new ConfigStore(platform.storage, platform.pins);
      assert.ok(store.apply(document(3)).ok);
      const old = new ConfigChanges(store, platform.storage, 3);
      const bad = old.receive({ kind: "config", version: 4, document: '{"uplink":{"intervalS":60}}' });
      assert.equal(bad.restart, false);
      assert.equal(bad.report?.outcome, ConfigOutcome.Rejected);
      assert.ok(/intervalS/.test(bad.report!.detail), bad.report!.detail);
      assert.equal(old.receive({ kind: "config", version: 4, document: "not json" }).report?.detail, "the document is not valid JSON");
      assert.equal(old.receive({ kind: "config", version: 4, document: "[1]" }).report?.detail, "the document is not a JSON object");
      assert.equal(old.receive({ kind: "config", version: 2, document: "{}" }).report?.outcome, ConfigOutcome.Rejected, "an older version");
      assert.equal(store.config?.version, 3, "nothing changed");
      const good = old.receive({ kind: "config", version: 4, document: '{"apn":"m2m.example.org"}' });
      assert.deepEqual(good, { restart: true });
      assert.equal(store.config?.apn, "m2m.example.org");
      assert.equal(store.config?.uplink.host, "broker.example.net", "the other sections are kept");
      assert.deepEqual(old.serverReached(), { restart: false }, "the old configuration's session does not confirm the new one");
      assert.deepEqual(old.receive({ kind: "config", version: 4, document: '{"apn":"m2m.example.org"}' }), { restart: false }, "delivered again: taken already");
      const running = new ConfigChanges(new ConfigStore(platform.storage, platform.pins), platform.storage, 4);
      const confirmed = running.serverReached();
      assert.equal(confirmed.report?.outcome, ConfigOutcome.Applied);
      assert.equal(confirmed.report?.version, 4);
      assert.equal(store.unconfirmed, false);
      assert.equal(running.receive({ kind: "config", version: 4, document: "{}" }).report?.detail, "already in force");
    },
  },
  {
    name: "a change that cuts the logger off is reverted after revertAfterFailedSessions failed sessions, counted across resets",
    run() {
      const { platform } = boot();
      const store = new ConfigStore(platform.storage, platform.pins);
      store.apply(document(5));
      new ConfigChanges(store, platform.storage, 5).receive({
        kind: "config", version: 6, document: '{"uplink":{"transport":"mqtt","host":"nowhere.example.net","port":8883,"intervalS":3600,"revertAfterFailedSessions":2}}',
      });
      assert.deepEqual(new ConfigChanges(new ConfigStore(platform.storage, platform.pins), platform.storage, 6).sessionFailed(2), { restart: false });
      const second = new ConfigChanges(new ConfigStore(platform.storage, platform.pins), platform.storage, 6);
      assert.equal(second.failedSessions, 1, "kept across the reset");
      const reverted = second.sessionFailed(2);
      assert.equal(reverted.restart, true);
      assert.equal(reverted.report?.outcome, ConfigOutcome.Reverted);
      assert.equal(reverted.report?.version, 6);
      const after = new ConfigStore(platform.storage, platform.pins);
      assert.equal(after.config?.version, 5);
      assert.equal(after.config?.uplink.host, "broker.example.net");
      assert.equal(second.failedSessions, 0);
    },
  },
  {
    name: "reports wait in storage across resets until delivered; an unreadable queue counts as empty",
    run() {
      const { platform } = boot();
      const queue = new ReportQueue(platform.storage, 9);
      queue.add({ kind: "config-result", version: 2, outcome: ConfigOutcome.Applied, detail: "ok" });
      queue.add({ kind: "update-result", accepted: true, reason: "", detail: "accepted" });
      const again = new ReportQueue(platform.storage, 9);
      assert.equal(again.length, 2);
      assert.equal(again.payload()?.count, 2);
      again.delivered(1);
      assert.equal(new ReportQueue(platform.storage, 9).length, 1);
      again.delivered(1);
      assert.equal(again.payload(), undefined);
      platform.storage.write("upl.reports", Uint8Array.of(7, 7, 7));
      assert.equal(new ReportQueue(platform.storage, 9).length, 0);
    },
  },
];
