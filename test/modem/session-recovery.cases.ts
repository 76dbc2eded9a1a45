/**
 * A modem that stops answering or misbehaves: each rung of the recovery ladder is reached by a
 * fault only it (or a stronger one) cures, and an uplink that keeps its records until they are
 * acknowledged loses none of them. Also: line noise, lost URCs, a link dropped mid-publish, a
 * modem restarting on its own and a corrupted certificate upload.
 */
import type { HangFault } from "../../hosts/sim/modem/bg95-faults.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import { ModemWorld, mqttConfig } from "./support/modem-world.js";
import { RecordUplink, assertAllDelivered, records } from "./support/record-uplink.js";

const RUNGS = ["probe", "cfun", "power-key", "reset-line", "power-cut"];

/** Starts an uplink of `count` records, applies `fault` once two have been delivered, runs to the end. */
function deliverThrough(fault: (world: ModemWorld) => void, options: { count?: number; limitMs?: number } = {}): ModemWorld {
  const world = new ModemWorld();
  const data = records(options.count ?? 6);
  const uplink = new RecordUplink(world, mqttConfig({ sessionLimitMs: options.limitMs ?? 300_000 }), data);
  uplink.start();
  ok(world.runUntil(() => world.broker.received.length >= 2, 60_000), "first records delivered");
  fault(world);
  ok(world.runUntil(() => uplink.finished, 290_000), `all records acknowledged (failures: ${uplink.failures.join(", ")})`);
  assertAllDelivered(world, data);
  return world;
}

function rungsUsed(world: ModemWorld): string[] {
  return RUNGS.filter((rung) => world.counters.get(`modem.recovery.${rung}`) > 0);
}

function hangCase(name: string, hang: HangFault, expected: string[]): TestCase {
  return {
    name,
    run() {
      const world = deliverThrough((w) => { w.modem.faults.hang = hang; });
      deepEqual(rungsUsed(world), expected);
      equal(world.modem.hung, false);
      equal(world.session.state, "ready");
      equal(world.session.health.nextRecoveryStep, "probe", "the ladder settles once the modem works");
    },
  };
}

export const cases: TestCase[] = [
  hangCase("a modem deaf for 3 s mid-command answers AT probes again: the first rung suffices",
    { trigger: "AT+QMTPUB", mode: "silent", curedBy: "time", durationMs: 3000 }, ["probe"]),
  hangCase("a command that never completes while AT still answers: probe, then AT+CFUN=1,1",
    { trigger: "AT+QMTPUB", mode: "stuck", curedBy: "cfun" }, ["probe", "cfun"]),
  hangCase("a silent modem that only PWRKEY brings back: probe, CFUN, PWRKEY cycle",
    { trigger: "AT+QMTPUB", mode: "silent", curedBy: "power-key" }, ["probe", "cfun", "power-key"]),
  hangCase("a silent modem that only a power cut brings back: every rung, in order",
    { trigger: "AT+QMTPUB", mode: "silent", curedBy: "power-cut" }, RUNGS),
  {
    name: "garbage on the line and a corrupted final result: stray lines counted, the lost answer costs one timeout",
    run() {
      const world = deliverThrough((w) => {
        w.modem.injectGarbage(200);
        w.modem.faults.corruptNextFinal = true;
        w.board.scheduler.after(4000, () => w.modem.injectGarbage(64));
      });
      ok(world.session.health.at.strayLines > 0, "noise seen as stray lines");
      ok(world.session.health.at.timeouts >= 1, "the corrupted final cost its command a timeout");
    },
  },
  {
    name: "a lost +QMTPUB URC: the record is reported as of unknown delivery and sent again",
    run() {
      const world = deliverThrough((w) => w.modem.faults.loseNextUrc("+QMTPUB:"));
      equal(world.modem.stats.lostUrcs, 1);
      ok(world.broker.received.length >= 7, "the record whose acknowledgement was lost arrived twice");
    },
  },
  {
    name: "a lost +QMTOPEN URC: the open is retried and the session comes up",
    run() {
      const world = new ModemWorld();
      world.modem.faults.loseNextUrc("+QMTOPEN:");
      let result: string | undefined;
      world.session.connect(mqttConfig(), (error) => { result = error ? error.kind : "ok"; });
      ok(world.runUntil(() => result !== undefined, 120_000 + 5000));
      equal(result, "ok");
      ok(world.modem.received.filter((l) => l.startsWith("AT+QMTOPEN=")).length === 2, "opened twice");
      ok(world.modem.received.some((l) => l === "AT+QMTCLOSE=0"), "the half-open client was closed first");
    },
  },
  {
    name: "the link drops mid-publish before the broker got the message: reconnect, resend, nothing lost",
    run() {
      const world = deliverThrough((w) => { w.modem.faults.dropLinkOnPublish = "before-delivery"; });
      ok(world.counters.get("modem.linkDrops") >= 1);
    },
  },
  {
    name: "the link drops mid-publish after the broker got the message: resent, the duplicate is harmless",
    run() {
      const world = deliverThrough((w) => { w.modem.faults.dropLinkOnPublish = "after-delivery"; });
      ok(world.broker.received.length >= 7, "one duplicate");
    },
  },
  {
    name: "the modem restarts on its own: the session notices the unasked RDY and sets everything up again",
    run() {
      const world = deliverThrough((w) => w.board.scheduler.after(100, () => w.modem.crash()));
      equal(world.counters.get("modem.restarts"), 1);
      ok(world.modem.stats.boots >= 2);
    },
  },
  {
    name: "a corrupted certificate upload is caught by the checksum and uploaded again",
    run() {
      const world = new ModemWorld();
      world.modem.faults.corruptNextUpload = true;
      let result: string | undefined;
      world.session.connect(mqttConfig(), (error) => { result = error ? error.kind : "ok"; });
      ok(world.runUntil(() => result !== undefined, 120_000));
      equal(result, "ok");
      equal(world.modem.received.filter((l) => l.startsWith("AT+QFUPL=")).length, 2);
      ok(world.session.transcript().some((e) => e.text.indexOf("corrupt") >= 0), "noted in the transcript");
    },
  },
];
