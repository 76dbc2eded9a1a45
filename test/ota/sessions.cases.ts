/**
 * Downloads that span sessions: resumed where they stopped after a budget ran out, a dropped
 * link or a reset, gated by battery and signal, and a newer notice replacing a paused download.
 */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { OtaWorld, SESSION_BUDGET_MS } from "./support/ota-world.js";

const CHUNK = 8192;

export const cases: TestCase[] = [
  {
    name: "no download below the battery floor or with a weak signal; it starts once both are fine",
    run() {
      const world = new OtaWorld({ seed: "gates", batteryVolts: 3.3 });
      world.runFor(1000);
      world.notify(world.publish({ version: "1.0.0" }).notice);
      deepEqual(world.session(), { outcome: "battery-low", fetchedBytes: 0 });
      world.batteryVolts = 3.8;
      world.signal = { rsrpDbm: -128 };
      deepEqual(world.session(), { outcome: "signal-weak", fetchedBytes: 0 });
      world.signal = { rssiDbm: -111 };
      deepEqual(world.session(), { outcome: "signal-weak", fetchedBytes: 0 }, "RSSI alone, too weak");
      world.signal = {};
      deepEqual(world.session(), { outcome: "signal-weak", fetchedBytes: 0 }, "no reading at all");
      equal(world.server.requests.length, 0);
      world.signal = { rssiDbm: -90 };
      equal(world.session().outcome, "downloaded");
    },
  },
  {
    name: "a link that drops mid-chunk costs that chunk only; the next session resumes at the last whole chunk",
    run() {
      const world = new OtaWorld({ seed: "drops" });
      world.runFor(1000);
      const update = world.publish({ version: "1.0.0", payloadBytes: 60_000 });
      world.notify(update.notice);
      // Drop the link during the third chunk (each takes about 2 s).
      world.scheduler.after(5_000, () => world.setLink(false));
      const first = world.session();
      equal(first.outcome, "fetch-failed");
      equal(first.fetchedBytes, 2 * CHUNK);
      equal(world.ota.status().update?.failures, 1);
      deepEqual(world.session(), { outcome: "fetch-failed", fetchedBytes: 0 }, "still no network");
      world.setLink(true);
      const second = world.session();
      equal(second.outcome, "downloaded");
      equal(second.fetchedBytes, update.image.length - 2 * CHUNK);
      const firsts = world.server.requests.map((r) => r.first);
      deepEqual(firsts.slice(0, 4), [0, CHUNK, 2 * CHUNK, 2 * CHUNK], "the interrupted chunk is asked again, nothing before it");
      world.runFor(60_000);
      equal(world.running(), "1.0.0");
    },
  },
  {
    name: "a reset in the middle of a download resumes from the journal after the restart",
    run() {
      const world = new OtaWorld({ seed: "reset" });
      world.runFor(1000);
      const update = world.publish({ version: "1.0.0", payloadBytes: 60_000 });
      world.notify(update.notice);
      world.ota.runSession(SESSION_BUDGET_MS, () => undefined);
      world.runFor(7_000);
      world.board.cutPower();
      world.runFor(10_000);
      world.board.powerOn();
      world.runFor(1000);
      const status = world.ota.status();
      equal(status.update?.phase, "downloading");
      const written = status.update?.written ?? 0;
      ok(written > 0 && written % CHUNK === 0, `resumes at a chunk boundary: ${written}`);
      const rest = world.session();
      equal(rest.outcome, "downloaded");
      equal(rest.fetchedBytes, update.image.length - written);
      world.runFor(60_000);
      equal(world.running(), "1.0.0");
      ok(world.server.servedBytes() <= update.image.length + CHUNK, "at most one chunk fetched twice");
    },
  },
  {
    name: "a newer notice replaces a paused download; the older one is never installed",
    run() {
      const world = new OtaWorld({ seed: "replace", limits: { firstChunkEstimateMs: 3000 } });
      world.runFor(1000);
      world.notify(world.publish({ version: "1.0.0", payloadBytes: 60_000 }).notice);
      equal(world.session(6_000).outcome, "paused");
      const newer = world.publish({ version: "1.1.0", payloadBytes: 30_000 });
      deepEqual(world.notify(newer.notice), { accepted: true });
      deepEqual(world.ota.status().update && [world.ota.status().update!.version, world.ota.status().update!.written], ["1.1.0", 0]);
      world.sessionsUntilDone(10, SESSION_BUDGET_MS);
      world.runFor(60_000);
      equal(world.running(), "1.1.0");
      deepEqual(world.boots, ["0.1.0", "1.1.0"]);
    },
  },
  {
    name: "the same manifest with a new URL keeps what is already in the slot and continues from there",
    run() {
      const world = new OtaWorld({ seed: "moved", limits: { firstChunkEstimateMs: 3000 } });
      world.runFor(1000);
      const update = world.publish({ version: "1.0.0", payloadBytes: 60_000 });
      world.notify(update.notice);
      const first = world.session(6_000);
      equal(first.outcome, "paused");
      const movedUrl = world.server.publish("/mirror/1.0.0.bin", update.image);
      deepEqual(world.notify({ manifest: update.manifest, url: movedUrl }), { accepted: true });
      equal(world.ota.status().update?.written, first.fetchedBytes);
      world.sessionsUntilDone(10);
      const moved = world.server.requests.filter((r) => r.path === "/mirror/1.0.0.bin");
      equal(moved[0].first, first.fetchedBytes);
      world.runFor(60_000);
      equal(world.running(), "1.0.0");
    },
  },
];
