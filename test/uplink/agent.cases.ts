/**
 * The uplink agent in the simulated world (real ring log, sampling engine, modem session and
 * simulated BG95, in-memory network, the server's receiver): delivery and acknowledgement, alarms
 * at once and first after an outage, HTTPS, refused credentials, configuration changes by
 * downlink (applied, rejected, reverted), update notices, and the clock.
 */
import { encodeNotice, type UpdateNotice } from "../../modules/ota/notice.js";
import { SampleFlag } from "../../modules/records/sample.js";
import { writeProvisioning } from "../../modules/config/provisioning.js";
import { decodePacket, MAX_PACKET_BYTES } from "../../modules/uplink/packet.js";
import { ConfigOutcome } from "../../modules/uplink/report.js";
import { SIM_CA_PEM } from "../../hosts/sim/world/sim-world.js";
import type { SimWorld } from "../../hosts/sim/world/sim-world.js";
import * as assert from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { DAY, HOUR, MINUTE, runUntil, uplinkWorld, type Landed } from "./support/uplink-world.js";

const ALARM = SampleFlag.AlarmRaised | SampleFlag.AlarmCleared;

function dataPackets(world: SimWorld): Array<{ atMs: number; bytes: Uint8Array }> {
  return world.server.broker.received.filter((m) => m.topic.endsWith("/data")).map((m) => ({ atMs: m.atMs, bytes: m.payload }));
}

/**
 * Every sample the log holds from `from` up to what the server acknowledged landed, exactly as
 * logged, and the acknowledgement is no further behind than the records of the last `lagMs`.
 */
function assertAllLanded(world: SimWorld, landed: Landed, from = 1, lagMs = HOUR): void {
  const log = world.parts!.log;
  log.flush();
  const { acked, newestSeq } = log.stats();
  const stored = log.read(from, 100_000);
  const newestTime = stored.reduce((max, r) => Math.max(max, r.kind === "sample" ? r.sample.time : r.time), 0);
  const unacked = stored.filter((r) => r.seq > acked);
  assert.ok(unacked.every((r) => r.kind === "sample" && r.sample.time > newestTime - lagMs), `acked ${acked} of ${newestSeq}`);
  const missing = stored.filter((r) => r.seq <= acked && r.kind === "sample" && !landed.samples.has(r.seq));
  assert.equal(missing.length, 0, `${missing.length} of ${stored.length} not landed, first ${missing[0]?.seq}`);
  for (const record of stored) {
    if (record.kind === "sample" && record.seq <= acked) assert.deepEqual(landed.samples.get(record.seq)!.sample, record.sample, `seq ${record.seq}`);
  }
}

function reportsOf(world: SimWorld) {
  return world.server.receiver.reports.map((r) => r.report);
}

export const cases: TestCase[] = [
  {
    name: "the log's acknowledged cursor moves only on the server's acknowledgement; a lost one means the packet goes again, stored once",
    run() {
      const { world, landed } = uplinkWorld({ seed: "ack" });
      world.start();
      world.board.scheduler.runUntil(HOUR - MINUTE);
      world.server.loseNextAcks(1);
      world.board.scheduler.runUntil(HOUR + 5 * MINUTE);
      const log = world.parts!.log;
      const stored = landed.samples.size;
      assert.ok(stored > 50, `${stored} samples reached the server`);
      assert.equal(log.stats().acked, 0, "the server has them, but the logger never heard so");
      assert.ok(world.parts!.agent!.status().lastResult.startsWith("failed: no acknowledgement"), world.parts!.agent!.status().lastResult);
      world.board.scheduler.runUntil(2 * HOUR + 5 * MINUTE);
      assert.ok(log.stats().acked >= stored, `acked ${log.stats().acked}`);
      assert.ok(world.server.receiver.ingest.devices.get(world.account.deviceId)!.duplicates >= stored, "the packet came again");
      assertAllLanded(world, landed);
    },
  },
  {
    name: "an alarm starts a session at once: the overflow's alarm lands within minutes, not at the next hourly slot",
    run() {
      const { world, landed, traces } = uplinkWorld({ seed: "alarm" });
      world.start();
      world.board.scheduler.runUntil(DAY + 10 * HOUR + 25 * MINUTE);
      const alarms = [...landed.samples.values()].filter((r) => r.sample.channel === 1 && r.sample.flags & SampleFlag.AlarmRaised);
      assert.ok(alarms.length >= 1, "the high-level alarm landed");
      assert.ok(traces.some((line) => /session \d+ \(alarm\)/.test(line)), "a session started for the alarm");
      assertAllLanded(world, landed, world.parts!.log.stats().acked - 20);
    },
  },
  {
    name: "after two days without coverage the alarms go first (sparse packet), then the backlog oldest first in packets of at most 4 KiB",
    run() {
      const { world, landed } = uplinkWorld({ seed: "outage", days: 3 });
      world.start();
      world.board.scheduler.runUntil(12 * HOUR);
      world.modem.radio.loseCoverageFor(2 * DAY);
      const lastBefore = dataPackets(world).length;
      world.board.scheduler.runUntil(2 * DAY + 14 * HOUR);
      const after = dataPackets(world).slice(lastBefore).filter((p) => decodePacket(p.bytes).records.length);
      assert.ok(after.length >= 3, `${after.length} packets after the outage`);
      const first = decodePacket(after[0].bytes);
      assert.ok(first.sparse, "the first packet after the outage carries the alarms");
      assert.ok(first.records.length >= 2 && first.records.every((r) => r.kind === "sample" && r.sample.flags & ALARM), "alarms only");
      const backlog = after.slice(1).map((p) => decodePacket(p.bytes));
      assert.ok(backlog.every((p) => !p.sparse), "then the backlog in order");
      for (let i = 1; i < backlog.length; i++) assert.ok(backlog[i].records[0].seq > backlog[i - 1].records[0].seq, "oldest first");
      assert.ok(after.every((p) => p.bytes.length <= MAX_PACKET_BYTES));
      assert.ok(after.some((p) => p.bytes.length > MAX_PACKET_BYTES / 2), "the backlog filled packets");
      assertAllLanded(world, landed);
    },
  },
  {
    name: "a backlog longer than one session's budget goes on in follow-up sessions a minute later",
    run() {
      const { world, landed, traces } = uplinkWorld({ seed: "budget", days: 3, firmware: { timing: { sessionBudgetMs: 15_500 } } });
      world.start();
      world.board.scheduler.runUntil(HOUR);
      world.modem.radio.loseCoverageFor(2 * DAY);
      world.board.scheduler.runUntil(2 * DAY + 3 * HOUR);
      const cut = traces.findIndex((line) => /ok: .*more to send/.test(line));
      assert.ok(cut >= 0, "a session ended with more to send");
      const next = traces.slice(cut + 1).find((line) => /session \d+ \(schedule\)/.test(line))!;
      const seconds = (line: string) => Number(line.split(" ")[0]);
      assert.ok(seconds(next) - seconds(traces[cut]) <= 61, `the next session came ${seconds(next) - seconds(traces[cut])} s later`);
      assertAllLanded(world, landed);
    },
  },
  {
    name: "HTTPS: the acknowledgement comes in the answer, and a configuration change rides along with it",
    run() {
      const { world, landed } = uplinkWorld({ seed: "https", transport: "https" });
      world.start();
      world.board.scheduler.runUntil(3 * HOUR);
      assert.ok(world.server.https.requests.length >= 3);
      assert.ok(world.server.https.requests.every((r) => /^\/v1\/logger-1001\/(data|report)\?mac=[0-9a-f]{64}$/.test(r.path)));
      assert.ok(world.parts!.log.stats().acked > 100);
      world.server.receiver.pushConfig(world.account.username, 2, '{"apn":"m2m.example.org"}');
      world.board.scheduler.runUntil(5 * HOUR + 10 * MINUTE);
      assert.equal(world.parts!.store.config?.apn, "m2m.example.org");
      assert.deepEqual(reportsOf(world).map((r) => r.kind === "config-result" && [r.version, r.outcome]), [[2, ConfigOutcome.Applied]]);
      assertAllLanded(world, landed, world.parts!.log.stats().acked - 40);
    },
  },
  {
    name: "wrong credentials are refused (MQTT CONNACK 4, HTTPS 401): nothing is acknowledged and nothing is lost",
    run() {
      for (const transport of ["mqtt", "https"] as const) {
        const { world, landed } = uplinkWorld({ seed: `creds-${transport}`, transport });
        const provision = (password: string) => writeProvisioning(world.board.storage, {
          deviceId: world.account.deviceId, username: world.account.username, password, caCertificate: new TextEncoder().encode(SIM_CA_PEM),
        });
        provision("not-the-password");
        world.start();
        world.board.scheduler.runUntil(3 * HOUR);
        assert.equal(landed.samples.size, 0, transport);
        assert.equal(world.parts!.log.stats().acked, 0);
        assert.ok(world.parts!.agent!.status().failedSessions >= 3);
        provision(world.account.password);
        world.parts!.platform.restart("credentials fixed");
        world.board.scheduler.runUntil(4 * HOUR + 10 * MINUTE);
        assert.ok(landed.samples.size > 150, `${transport}: ${landed.samples.size} landed after the fix`);
        assertAllLanded(world, landed);
      }
    },
  },
  {
    name: "configuration by downlink: applied and confirmed, a bad one rejected, one that cuts the logger off reverted after 3 sessions",
    run() {
      const { world, landed, traces } = uplinkWorld({ seed: "config", days: 1 });
      const { receiver } = world.server;
      const uplink = (host: string, intervalS: number) => JSON.stringify({
        uplink: { transport: "mqtt", host, port: 8883, intervalS, revertAfterFailedSessions: 3 },
      });
      world.start();
      world.board.scheduler.runUntil(HOUR - 10 * MINUTE);
      receiver.pushConfig(world.account.username, 2, uplink("broker.datalogger.test", 1800));
      world.board.scheduler.runUntil(2 * HOUR);
      assert.equal(world.parts!.store.config?.uplink.intervalS, 1800, "in force after the restart");
      assert.ok(traces.some((line) => /restart: configuration changed/.test(line)), "put in force by a restart");
      receiver.pushConfig(world.account.username, 3, uplink("broker.datalogger.test", 60));
      world.board.scheduler.runUntil(3 * HOUR);
      receiver.pushConfig(world.account.username, 4, uplink("nowhere.datalogger.test", 1800));
      assert.ok(runUntil(world, () => reportsOf(world).length >= 3, 6 * HOUR), reportsOf(world).map((r) => JSON.stringify(r)).join("\n"));
      const results = reportsOf(world).map((r) => (r.kind === "config-result" ? [r.version, r.outcome] : r.kind));
      assert.deepEqual(results, [[2, ConfigOutcome.Applied], [3, ConfigOutcome.Rejected], [4, ConfigOutcome.Reverted]]);
      assert.equal(world.parts!.store.config?.version, 2, "back to the last configuration that reached the server");
      world.board.scheduler.runFor(HOUR);
      assertAllLanded(world, landed);
    },
  },
  {
    name: "an update notice is handed to the updater and its answer reported; a malformed one is reported refused",
    run() {
      const notices: UpdateNotice[] = [];
      const { world } = uplinkWorld({
        seed: "update",
        firmware: { updates: { onNotice: (notice) => { notices.push(notice); return { accepted: false, reason: "downgrade", message: "1.0.0 is older" }; } } },
      });
      world.start();
      world.board.scheduler.runUntil(10 * MINUTE);
      const notice = { manifest: Uint8Array.of(1, 2, 3, 4, 5), url: "https://updates.example.net/fw/1.0.0.bin" };
      world.server.receiver.pushUpdate(world.account.username, encodeNotice(notice));
      world.board.scheduler.runUntil(HOUR + 10 * MINUTE);
      world.server.receiver.pushUpdate(world.account.username, Uint8Array.of(9, 9));
      world.board.scheduler.runUntil(2 * HOUR + 10 * MINUTE);
      assert.deepEqual(notices, [notice]);
      assert.deepEqual(reportsOf(world).map((r) => r.kind === "update-result" && [r.accepted, r.reason]), [[false, "downgrade"], [false, "bad-notice"]]);
    },
  },
  {
    name: "the clock: set within the first session, then the server's time in every acknowledgement keeps a drifting RTC right",
    run() {
      const { world } = uplinkWorld({ seed: "clock", rtcDriftPpm: 500 });
      world.start();
      world.board.scheduler.runUntil(MINUTE);
      const { clock } = world.parts!.platform;
      assert.equal(clock.quality, "server", "set within the first session");
      let worst = 0;
      for (let t = MINUTE; t < DAY; t += 5 * MINUTE) {
        world.board.scheduler.runUntil(t);
        worst = Math.max(worst, Math.abs(clock.now() - world.board.trueTime()));
      }
      // 500 ppm is 43 s a day; hourly acknowledgements hold it within 1.8 s plus the round trip.
      assert.ok(worst < 2500, `the clock was ${worst} ms off at worst`);
      assert.ok(world.parts!.counters.get("uplink.clock_set_server") >= 20);
    },
  },
];
