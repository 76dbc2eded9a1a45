/**
 * Ring log behaviour, shared by mocha and the XS runner: format round trips, cursors, policies,
 * wear, recovery from torn and random flash, and a small power-cut sweep.
 */
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import { NorFlash, PowerCut } from "../../hosts/sim/nor-flash.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { HealthCounters } from "../../modules/health/counters.js";
import type { Flash } from "../../modules/platform/flash.js";
import type { TimerHandle, Timers } from "../../modules/platform/clock.js";
import { SampleFlag, SensorFault, type Sample } from "../../modules/records/sample.js";
import { GapReason, type GapRecord, type UplinkRecord } from "../../modules/uplink/records.js";
import { decodeLogImage } from "../../modules/log/decode-image.js";
import { frameSize } from "../../modules/log/frames.js";
import { RingLog, type OverflowPolicy } from "../../modules/log/ring-log.js";
import { decodeSamples, encodeSample, storedSample } from "../../modules/log/sample-codec.js";
import { ProgramOnceFlash } from "./program-once-flash.js";
import { capacityOf, exhaustiveSweep } from "./torture.js";
import { makeScenario } from "./log-scenario.js";

const T0 = Date.UTC(2026, 2, 1, 12);

interface Rig {
  flash: NorFlash;
  guarded: Flash;
  log: RingLog;
  counters: HealthCounters;
  problems: string[];
  remount(): RingLog;
}

function rig(options: { sectors?: number; sectorSize?: number; unit?: 1 | 4 | 16; policy?: OverflowPolicy; seed?: string } = {}): Rig {
  const flash = new NorFlash({
    blocks: options.sectors ?? 4, blockSize: options.sectorSize ?? 512, writeGranularity: options.unit ?? 1,
    random: new SeededRandom(options.seed ?? "rig"),
  });
  const problems: string[] = [];
  const guarded = new ProgramOnceFlash(flash, (message) => problems.push(message));
  const counters = new HealthCounters();
  const policy = options.policy ?? "drop-oldest";
  const self: Rig = {
    flash, guarded, counters, problems,
    log: RingLog.mount(guarded, { policy, counters }).log,
    remount() {
      flash.powerOn();
      self.log = RingLog.mount(guarded, { policy, counters }).log;
      return self.log;
    },
  };
  return self;
}

function sample(i: number, channel = i % 4): Sample {
  return { channel, time: T0 + Math.floor(i / 4) * 60_000, value: 20 + (i % 17) * 0.37, flags: 0x08 };
}

function samplesOf(records: UplinkRecord[]): Array<[number, Sample]> {
  return records.flatMap((r) => (r.kind === "sample" ? [[r.seq, r.sample] as [number, Sample]] : []));
}

function gapsOf(records: UplinkRecord[]): GapRecord[] {
  return records.filter((r): r is GapRecord => r.kind === "gap");
}

/** Appends until the log refuses or `count` samples went in; returns how many went in. */
function fill(log: RingLog, count: number, from = 0): number {
  for (let i = 0; i < count; i++) if (!log.append(sample(from + i))) return i;
  return count;
}

/** Sequence numbers must go up by exactly one record (or a gap's length) at a time. */
function assertContinuous(records: UplinkRecord[]): void {
  for (let i = 1; i < records.length; i++) {
    const before = records[i - 1];
    const expected = before.seq + (before.kind === "gap" ? before.lost : 1);
    equal(records[i].seq, expected, `record ${i} follows seq ${before.seq}`);
  }
}

class ManualTimers implements Timers {
  #next = 1;
  readonly due = new Map<number, () => void>();
  set(callback: (timer: TimerHandle) => void, ms = 0): TimerHandle {
    const handle = { id: this.#next++, ms };
    this.due.set(handle.id, () => callback(handle));
    return handle;
  }
  repeat(callback: (timer: TimerHandle) => void, ms: number): TimerHandle {
    return this.set(callback, ms);
  }
  clear(timer: TimerHandle | undefined): void {
    if (timer) this.due.delete(timer.id);
  }
  fireAll(): void {
    for (const [id, run] of [...this.due]) {
      this.due.delete(id);
      run();
    }
  }
}

export const cases: TestCase[] = [
  {
    name: "sample codec round-trips channel, time and flags exactly and the value at float32",
    run() {
      const samples: Sample[] = [
        { channel: 0, time: T0, value: 21.37, flags: 0x08 },
        { channel: 1, time: T0, value: 7, flags: 0x08 },
        { channel: 1, time: T0 + 1, value: -0, flags: 0x09 },
        { channel: 65535, time: T0 + 60_000, value: Number.NaN, flags: 0 },
        { channel: 0, time: T0 - 86_400_123, value: 2 ** 25 + 1, flags: 0xff },
        { channel: 300, time: 0, value: Number.NEGATIVE_INFINITY, flags: SampleFlag.Fault },
        { channel: 301, time: 2 ** 48 - 1, value: SensorFault.Overrange, flags: SampleFlag.Fault },
        { channel: 9, time: 2 ** 48 - 1, value: -1e-40, flags: 0 },
      ];
      const parts: Uint8Array[] = [];
      samples.forEach((s, i) => parts.push(encodeSample(s, i ? samples[i - 1] : undefined)));
      const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const part of parts) { body.set(part, offset); offset += part.length; }
      deepEqual(decodeSamples(body, samples.length), samples.map(storedSample));
      equal(parts[1].length, 2, "same time, next channel, small integer: lead byte and one varint byte");
      equal(decodeSamples(body, samples.length + 1), undefined, "more samples than the body holds");
      equal(decodeSamples(body.subarray(0, body.length - 1), samples.length), undefined, "truncated body");
    },
  },
  {
    name: "appends become durable on flush and read back in order from any sequence number",
    run() {
      const { log, remount } = rig({ unit: 4 });
      equal(fill(log, 300), 300);
      equal(log.stats().pending > 0, true, "some samples still in RAM");
      equal(log.read(1, 1000).length, log.stats().newestSeq, "only durable records are read");
      log.flush();
      const all = log.read(1, 1000);
      deepEqual(samplesOf(all).map(([seq]) => seq), Array.from({ length: 300 }, (_, i) => i + 1));
      deepEqual(samplesOf(all).map(([, s]) => s), Array.from({ length: 300 }, (_, i) => storedSample(sample(i))));
      const again = remount();
      deepEqual(again.read(1, 1000), all, "the same records after a remount");
      deepEqual(again.read(137, 5).map((r) => r.seq), [137, 138, 139, 140, 141]);
      const batches: UplinkRecord[] = [];
      for (let next = 1; next <= 300;) {
        const batch = again.read(next, 7);
        batches.push(...batch);
        next = batch[batch.length - 1].seq + 1;
      }
      deepEqual(batches, all, "batches of 7 concatenate to the whole log");
      equal(again.read(301, 10).length, 0);
    },
  },
  {
    name: "invalid samples are refused without a sequence number, counted, and nothing is written",
    run() {
      const { log, counters, flash } = rig();
      const programs = flash.stats.programs;
      for (const bad of [
        { channel: 70000, time: T0, value: 1, flags: 0 },
        { channel: 1, time: 1.5, value: 1, flags: 0 },
        { channel: 1, time: -1, value: 1, flags: 0 },
        { channel: 1, time: T0, value: 1, flags: 256 },
        { channel: 1, time: T0, value: "1" as unknown as number, flags: 0 },
      ]) equal(log.append(bad), false);
      equal(counters.get("log.invalid_sample"), 5);
      equal(log.lastSeq, 0);
      equal(flash.stats.programs, programs);
      ok(log.append(sample(0)));
      equal(log.lastSeq, 1);
    },
  },
  {
    name: "the ring resumes after a remount where it left off, and wear stays level over many wraps",
    run() {
      const r = rig({ sectors: 5 });
      let i = 0;
      for (let round = 0; round < 40; round++) {
        i += fill(r.log, 60, i);
        r.log.flush();
        r.log.ack(r.log.stats().newestSeq);
        if (round % 3 === 0) r.remount();
      }
      const erases = Array.from(r.flash.eraseCounts);
      ok(Math.min(...erases) >= 5, `at least five wraps: ${erases}`);
      ok(Math.max(...erases) - Math.min(...erases) <= 1, `erase spread ${erases}`);
      deepEqual(r.problems, []);
      equal(samplesOf(r.log.read(r.log.stats().acked - 9, 100)).length, 10, "acknowledged records stay readable until reused");
    },
  },
  {
    name: "stop policy refuses when full, numbers the refused samples, and reports them as a LogFull gap on resuming",
    run() {
      const { log, counters, remount } = rig({ sectors: 3, policy: "stop" });
      const stored = fill(log, 10_000);
      ok(stored > 100 && stored < 10_000, `filled after ${stored}`);
      const firstRefused = log.lastSeq;
      for (let i = 0; i < 4; i++) equal(log.append(sample(stored + 1 + i)), false);
      equal(counters.get("log.refused"), 5);
      equal(log.stats().fill, 1);
      equal(log.stats().refused, 5);
      log.ack(log.stats().newestSeq);
      ok(log.append(sample(0)), "logging resumes after the acknowledgement");
      log.flush();
      const records = remount().read(firstRefused - 1, 100);
      const gap = gapsOf(records)[0];
      deepEqual(gap, { kind: "gap", seq: firstRefused, lost: 5, reason: GapReason.LogFull, time: sample(stored).time });
      equal(records[records.length - 1].seq, firstRefused + 5, "the resumed sample follows the gap");
      assertContinuous(records);
    },
  },
  {
    name: "drop-oldest overwrites unacknowledged sectors and says so with an Overwritten gap from the acked cursor",
    run() {
      const { log, counters, remount } = rig({ sectors: 3, policy: "drop-oldest" });
      fill(log, 50);
      log.flush();
      log.ack(20);
      fill(log, 2000, 50);
      log.flush();
      const overwritten = counters.get("log.overwritten");
      ok(overwritten > 0);
      const records = remount().read(1, 5000);
      const gap = records[0] as GapRecord;
      equal(gap.kind, "gap");
      equal(gap.seq, 21, "the gap starts after the acknowledged cursor");
      equal(gap.reason, GapReason.Overwritten);
      equal(gap.lost, overwritten);
      ok(gap.time > sample(50).time && gap.time <= sample(2049).time, "the gap carries the time of the latest drop");
      assertContinuous(records);
      equal(records[records.length - 1].seq, 2050);
      const again = remount();
      again.ack(gap.seq + gap.lost - 1);
      equal(again.read(1, 10)[0].kind, "sample", "acknowledging the gap closes it");
    },
  },
  {
    name: "an ack costs one program of one write unit at most, and survives a remount",
    run() {
      for (const unit of [1, 4, 16] as const) {
        const { log, flash, remount } = rig({ unit });
        fill(log, 100);
        log.flush();
        const before = { ...flash.stats };
        log.ack(42);
        equal(flash.stats.programs - before.programs, 1, `unit ${unit}: one program`);
        equal(flash.stats.bytesProgrammed - before.bytesProgrammed, frameSize(4, unit), `unit ${unit}: one ack frame`);
        equal(flash.stats.erases, before.erases);
        equal(log.stats().durableAcked, 42);
        equal(remount().stats().acked, 42);
        throws(() => log.ack(101), RangeError);
        throws(() => log.markSent(101), RangeError);
      }
    },
  },
  {
    name: "an ack that finds the head full is made durable in the seal slot before the erase that relies on it",
    run() {
      for (const model of ["prefix", "bits"] as const) {
        const r = rig({ sectors: 3, sectorSize: 256, unit: 16, policy: "stop", seed: model });
        fill(r.log, 10_000);
        equal(r.log.append(sample(0)), false, "full");
        const newest = r.log.stats().newestSeq;
        r.log.ack(newest);
        equal(r.log.stats().durableAcked, 0, "no room for an ack frame: the ack waits in RAM");
        r.flash.armPowerCut(2, model);
        throws(() => r.log.append(sample(1)), PowerCut, "cut in the erase that follows the seal");
        r.flash.powerOn();
        const { log, report } = RingLog.mount(r.guarded, { policy: "stop", counters: r.counters });
        equal(log.stats().acked, newest, "the seal kept the ack");
        equal(report.unexplained, undefined);
        ok(log.append(sample(2)), "logging resumes");
        deepEqual(r.problems, []);
      }
    },
  },
  {
    name: "a torn frame at the head is skipped: the head is left, nothing is programmed over it",
    run() {
      let torn = 0;
      for (let trial = 0; trial < 8; trial++) {
        const model = trial % 2 ? "prefix" : "bits";
        const r = rig({ unit: 16, seed: `torn ${trial}` });
        fill(r.log, 40);
        r.log.flush();
        fill(r.log, 20, 40);
        r.flash.armPowerCut(1, model);
        throws(() => r.log.flush(), PowerCut);
        r.flash.powerOn();
        const { log, report } = RingLog.mount(r.guarded, { policy: "drop-oldest", counters: r.counters });
        equal(report.headSector, 0);
        ok(log.stats().newestSeq === 40 || log.stats().newestSeq === 60, "the frame landed whole or not at all");
        if (report.tornTail) {
          torn++;
          equal(log.stats().newestSeq, 40);
          equal(report.repairs.length, 1);
          equal(r.counters.get("log.torn_tail"), 1);
          ok(log.append(sample(99)));
          log.flush();
          equal(log.stats().sectorsInRing, 2, "the next sample opened sector 1");
        }
        deepEqual(r.problems, []);
      }
      ok(torn >= 4, `${torn} of 8 cuts left torn bytes`);
    },
  },
  {
    name: "records lost to an interrupted sector erase are reported as a Corrupt gap",
    run() {
      const r = rig({ sectors: 3, sectorSize: 256, policy: "drop-oldest" });
      fill(r.log, 200);
      r.log.flush();
      const oldest = r.log.stats().oldestStoredSeq ?? 0;
      r.log.ack(oldest - 1);
      const erase = r.flash.erase.bind(r.flash);
      r.flash.erase = (block) => {
        r.flash.armPowerCut(1, "bits");
        erase(block);
      };
      let appended = 200;
      throws(() => { for (;;) r.log.append(sample(appended++)); }, PowerCut, "cut in the erase of the oldest sector");
      r.flash.powerOn();
      const { log, report } = RingLog.mount(r.guarded, { policy: "drop-oldest", counters: r.counters });
      ok(report.unexplained !== undefined, "missing records found");
      equal(report.unexplained?.first, oldest);
      const gap = log.read(1, 1)[0] as GapRecord;
      deepEqual([gap.kind, gap.seq, gap.lost, gap.reason], ["gap", oldest, (report.unexplained?.last ?? 0) - oldest + 1, GapReason.Corrupt]);
      equal(r.counters.get("log.corrupt"), gap.lost);
    },
  },
  {
    name: "mount never fails on random bytes or damaged images, and the log then works",
    run() {
      const random = new SeededRandom("garbage");
      for (let trial = 0; trial < 12; trial++) {
        const unit = ([1, 4, 16] as const)[trial % 3];
        const source = rig({ sectors: 4, sectorSize: 256, unit });
        fill(source.log, 150 + trial * 7);
        source.log.flush();
        source.log.ack(30);
        const image = trial < 4 ? random.getRandomValues(new Uint8Array(1024)) : source.flash.image();
        for (let flips = 0; trial >= 4 && flips < trial; flips++) image[random.below(image.length)] ^= 1 << random.below(8);
        const damaged = new NorFlash({ blocks: 4, blockSize: 256, writeGranularity: unit, image });
        const { log } = RingLog.mount(damaged, { policy: "drop-oldest" });
        const records = log.read(1, 10_000);
        assertContinuous(records);
        for (let i = 0; i < 100; i++) log.append(sample(i));
        log.flush();
        ok(log.stats().newestSeq >= 100, `trial ${trial}: logging works after mount`);
      }
    },
  },
  {
    name: "the image decoder shows what a mounted log reads",
    run() {
      const { log, flash } = rig({ sectors: 3, unit: 16 });
      fill(log, 400);
      log.flush();
      log.ack(100);
      const decoded = decodeLogImage(flash.image(), { blockSize: 512, writeGranularity: 16 });
      deepEqual(decoded.records, log.read(1, 10_000));
      equal(decoded.state.acked, 100);
      equal(decoded.state.newestSeq, 400);
    },
  },
  {
    name: "write unit 16: every program is whole aligned units into erased flash",
    run() {
      const r = rig({ unit: 16, sectors: 3, policy: "drop-oldest" });
      const lengths = new Set<number>();
      const write = r.flash.write.bind(r.flash);
      r.flash.write = (offset, data) => {
        ok(offset % 16 === 0 && data.length % 16 === 0, `program at ${offset}+${data.length}`);
        lengths.add(data.length);
        write(offset, data);
      };
      for (let i = 0; i < 1500; i++) {
        r.log.append(sample(i));
        if (i % 9 === 0) r.log.flush();
        if (i % 100 === 0) r.log.ack(r.log.stats().newestSeq);
      }
      deepEqual(r.problems, []);
      ok(lengths.size > 3);
    },
  },
  {
    name: "autoFlush programs the frame a set time after its first sample",
    run() {
      const flash = new NorFlash({ blocks: 3, blockSize: 512 });
      const timers = new ManualTimers();
      const { log } = RingLog.mount(flash, { policy: "stop", autoFlush: { timers, afterMs: 30_000 } });
      log.append(sample(0));
      log.append(sample(1));
      equal(timers.due.size, 1, "one timer for the frame");
      equal(log.stats().newestSeq, 0);
      timers.fireAll();
      equal(log.stats().newestSeq, 2);
      log.append(sample(2));
      log.flush();
      equal(timers.due.size, 0, "flush cancels the timer");
    },
  },
  {
    name: "4096 sectors: mount reads headers and one sector, and resumes after the head",
    run() {
      const r = rig({ sectors: 4096, sectorSize: 256, unit: 4 });
      const stored = fill(r.log, 3000);
      r.log.flush();
      const head = r.log.stats().sectorsInRing - 1;
      const { log, report } = RingLog.mount(r.guarded, { policy: "drop-oldest" });
      equal(report.headSector, head);
      equal(report.newestSeq, stored);
      ok(report.bytesRead <= 4096 * 35 + 2 * 256, `${report.bytesRead} bytes read`);
      deepEqual(samplesOf(log.read(stored - 1, 5)).map(([seq]) => seq), [stored - 1, stored]);
      fill(log, 200, stored);
      log.flush();
      equal(r.flash.eraseCounts[head + 1], 1, "the next sector after the head was opened");
      equal(r.flash.eraseCounts[4095], 0);
    },
  },
  {
    name: "geometry outside what the format supports is refused at mount",
    run() {
      throws(() => RingLog.mount(new NorFlash({ blocks: 2, blockSize: 512 }), { policy: "stop" }), RangeError);
      throws(() => RingLog.mount(new NorFlash({ blocks: 4, blockSize: 128 }), { policy: "stop" }), RangeError);
      throws(() => RingLog.mount(new NorFlash({ blocks: 4, blockSize: 3000 }), { policy: "stop" }), RangeError);
    },
  },
  {
    name: "a cut at every program and erase of a short scenario keeps the invariants (unit 16)",
    run() {
      for (const model of ["prefix", "bits"] as const) {
        const ops = makeScenario("xs", { rounds: 90, capacity: capacityOf(3, 256), rebootChance: 0.02 });
        const sweep = exhaustiveSweep({ sectors: 3, sectorSize: 256, unit: 16, model, policy: "drop-oldest", flashSeed: model }, ops);
        deepEqual(sweep.violations, []);
        ok(sweep.runs > 30 && sweep.wraps >= 2, `${sweep.runs} cuts over ${sweep.wraps} wraps`);
      }
    },
  },
];
