/**
 * The sampling engine's schedule on a simulated board: wall-clock slots, shared rails powered once
 * ahead of their warm-up, slow and stuck readers, clock steps, a refusing log.
 */
import { SampleFlag, SensorFault } from "../../modules/records/sample.js";
import type { ChannelReader, ReaderFactory } from "../../modules/sampling/reader.js";
import type { SerialChannelConfig } from "../../modules/config/channels.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { LevelTransmitter } from "../../hosts/sim/sources/level-transmitter.js";
import type { SimBoard } from "../../hosts/sim/board.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { decodePulseTotal, pulseTotalKey } from "../../drivers/pulse/pulse-total-record.js";
import { FlowMeter } from "../../hosts/sim/sources/flow-meter.js";
import { DAY_MS, newBoard, startSampling } from "./sampling-harness.js";

const MINUTE = 60_000;
const LOOP_RAIL = 25;

function transmitter(board: SimBoard, pin: number, startupMs: number): LevelTransmitter {
  return new LevelTransmitter({
    pins: board.pins, pin, railPin: LOOP_RAIL, shuntOhms: 150, rangeMin: 0, rangeMax: 5, level: () => 2,
    startupMs, random: new SeededRandom(`tx${pin}`),
  });
}

function analog(name: string, id: number, pin: number, warmUpMs: number, extra: Record<string, unknown> = {}) {
  return {
    kind: "analog", name, id, pin, signal: { type: "current", shuntOhms: 150 }, scale: { min: 0, max: 5 },
    intervalS: 60, rail: "loop", warmUpMs, ...extra,
  };
}

/** Records each switch of the rail as [virtual time, level]. */
function watchRail(board: SimBoard): Array<[number, number]> {
  const switches: Array<[number, number]> = [];
  let last = 0;
  board.pins.watch(LOOP_RAIL, (level) => {
    if (level !== last) switches.push([board.scheduler.now, level]);
    last = level;
  });
  return switches;
}

function serialChannel(timeoutMs: number) {
  return {
    kind: "serial", name: "probe", port: "sdi12", protocol: "sdi12", address: "0", command: "M", intervalS: 60,
    rail: "loop", warmUpMs: 1000, timeoutMs, values: [{ index: 0, id: 10 }, { index: 1, id: 11 }],
  };
}

/** An SDI-12-like reader: answers `delayMs` after it is asked (never, when undefined). */
function slowReaders(delayMs: number | undefined, answers: number[]): Partial<Record<"sdi12", ReaderFactory<SerialChannelConfig>>> {
  return {
    sdi12: (_channel, context): ChannelReader => ({
      read(done) {
        if (delayMs === undefined) return;
        context.platform.timers.set(() => {
          answers.push(context.platform.clock.now());
          done([{ value: 21.5, flags: 0 }, { value: 14.2, flags: 0 }]);
        }, delayMs);
      },
      close() { /* nothing to release */ },
    }),
  };
}

export const cases: TestCase[] = [
  {
    name: "readings land on the minute grid; two channels on one rail switch it on once, warm-up ahead",
    run() {
      const board = newBoard("sched-1");
      transmitter(board, 32, 1500);
      transmitter(board, 33, 500);
      const switches = watchRail(board);
      const run = startSampling(board, {
        rails: [{ name: "loop", pin: LOOP_RAIL }],
        channels: [analog("a", 1, 32, 2000), analog("b", 2, 33, 1000)],
      });
      board.scheduler.runFor(10 * MINUTE + 1);
      const epoch = board.trueTime() - board.scheduler.now;
      for (const id of [1, 2]) {
        deepEqual(run.sink.of(id).map((s) => s.time - epoch), Array.from({ length: 10 }, (_, i) => (i + 1) * MINUTE), `channel ${id} times`);
        ok(run.sink.of(id).every((s) => s.flags === 0 && Math.abs(s.value - 2) < 0.01), `channel ${id} values`);
      }
      deepEqual(switches, Array.from({ length: 10 }, (_, i) => [[(i + 1) * MINUTE - 2000, 1], [(i + 1) * MINUTE, 0]]).flat());
    },
  },
  {
    name: "a warm-up shorter than the transmitter's start-up reads its start-up current: a fault",
    run() {
      const board = newBoard("sched-2");
      transmitter(board, 32, 1500);
      const run = startSampling(board, { rails: [{ name: "loop", pin: LOOP_RAIL }], channels: [analog("a", 1, 32, 500)] });
      board.scheduler.runFor(5 * MINUTE + 1);
      equal(run.sink.samples.length, 5);
      ok(run.sink.samples.every((s) => s.flags === SampleFlag.Fault && s.value === SensorFault.Underrange), "start-up current is ≤ 3.6 mA");
      equal(run.counters.get("sampling.fault_sample"), 5);
    },
  },
  {
    name: "an offset moves the slots; statistics windows follow the same grid",
    run() {
      const board = newBoard("sched-3");
      transmitter(board, 32, 0);
      const run = startSampling(board, {
        rails: [{ name: "loop", pin: LOOP_RAIL }],
        channels: [analog("a", 1, 32, 0, { intervalS: 300, offsetS: 30, stats: { intervalS: 900, mean: 5, keepSamples: true } })],
      });
      board.scheduler.runFor(60 * MINUTE);
      const epoch = board.trueTime() - board.scheduler.now;
      deepEqual(run.sink.of(1).map((s) => (s.time - epoch) / 1000), [30, 330, 630, 930, 1230, 1530, 1830, 2130, 2430, 2730, 3030, 3330]);
      deepEqual(run.sink.of(5).map((s) => (s.time - epoch) / 1000), [30, 930, 1830, 2730]);
    },
  },
  {
    name: "a slow serial reader keeps its rail on until it answers, and the reading is stamped when it began",
    run() {
      const board = newBoard("sched-4");
      const switches = watchRail(board);
      const answers: number[] = [];
      const run = startSampling(board, { rails: [{ name: "loop", pin: LOOP_RAIL }], channels: [serialChannel(10_000)] },
        { serialReaders: slowReaders(2500, answers) });
      board.scheduler.runFor(3 * MINUTE);
      const epoch = board.trueTime() - board.scheduler.now;
      deepEqual(run.sink.samples.map((s) => [s.channel, s.time - epoch, s.value]),
        [[10, MINUTE, 21.5], [11, MINUTE, 14.2], [10, 2 * MINUTE, 21.5], [11, 2 * MINUTE, 14.2]]);
      deepEqual(answers.map((t) => t - epoch), [MINUTE + 2500, 2 * MINUTE + 2500]);
      deepEqual(switches.slice(0, 2), [[MINUTE - 1000, 1], [MINUTE + 2500, 0]]);
    },
  },
  {
    name: "a serial reader that never answers is a timeout fault, and the channel goes on",
    run() {
      const board = newBoard("sched-5");
      const switches = watchRail(board);
      const run = startSampling(board, { rails: [{ name: "loop", pin: LOOP_RAIL }], channels: [serialChannel(5000)] },
        { serialReaders: slowReaders(undefined, []) });
      board.scheduler.runFor(3 * MINUTE);
      equal(run.sink.samples.length, 4);
      ok(run.sink.samples.every((s) => s.flags === SampleFlag.Fault && s.value === SensorFault.Timeout), "timeouts");
      deepEqual(switches.slice(0, 2), [[MINUTE - 1000, 1], [MINUTE + 5000, 0]], "the rail goes off at the timeout");
    },
  },
  {
    name: "an answer after the timeout is ignored and counted",
    run() {
      const board = newBoard("sched-6");
      const run = startSampling(board, { rails: [{ name: "loop", pin: LOOP_RAIL }], channels: [serialChannel(5000)] },
        { serialReaders: slowReaders(8000, []) });
      board.scheduler.runFor(2 * MINUTE - 1);
      deepEqual(run.sink.samples.map((s) => s.value), [SensorFault.Timeout, SensorFault.Timeout]);
      equal(run.counters.get("sampling.late_reading"), 1);
    },
  },
  {
    name: "a serial channel without a driver, or an input whose IO fails to open, is reported unsampled; the others run",
    run() {
      const board = newBoard("sched-7");
      transmitter(board, 32, 0);
      board.pins.claim("analog", 33);
      const run = startSampling(board, {
        rails: [{ name: "loop", pin: LOOP_RAIL }],
        channels: [serialChannel(5000), analog("a", 1, 32, 0), analog("b", 2, 33, 0)],
      });
      board.scheduler.runFor(2 * MINUTE);
      deepEqual(run.engine().unsampled, ["probe", "b"]);
      ok(board.traceLog.some((line) => line.includes(`channel "probe" not sampled: no sdi12 driver`)));
      ok(board.traceLog.some((line) => line.includes(`channel "b" not sampled: analog pin 33 in use`)));
      equal(run.counters.get("sampling.unsampled_channel"), 2);
      equal(run.sink.of(1).length, 2);
    },
  },
  {
    name: "a reader answering with the wrong number of values logs bad-response faults",
    run() {
      const board = newBoard("sched-8");
      const run = startSampling(board, { rails: [{ name: "loop", pin: LOOP_RAIL }], channels: [serialChannel(5000)] }, {
        serialReaders: { sdi12: () => ({ read: (done) => done([{ value: 1, flags: 0 }]), close() { /* nothing */ } }) },
      });
      board.scheduler.runFor(MINUTE + 1000);
      deepEqual(run.sink.samples.map((s) => [s.channel, s.value, s.flags & SampleFlag.Fault]),
        [[10, SensorFault.BadResponse, 1], [11, SensorFault.BadResponse, 1]]);
      equal(run.counters.get("sampling.bad_reading"), 1);
    },
  },
  {
    name: "clock steps: set back, sampling re-aligns at once; set forward, one late reading and missed slots counted",
    run() {
      const board = newBoard("sched-9");
      transmitter(board, 32, 0);
      const run = startSampling(board, { rails: [{ name: "loop", pin: LOOP_RAIL }], channels: [analog("a", 1, 32, 0)] });
      board.scheduler.runFor(5 * MINUTE + 10_000);
      const clock = run.platform().clock;
      clock.setTime(clock.now() - 3_600_000, "network");
      board.scheduler.runFor(5 * MINUTE);
      const times = run.sink.samples.map((s) => s.time);
      equal(times.length, 10);
      ok(times.slice(5).every((t, i) => t % MINUTE === 0 && (i === 0 || t - times[4 + i] === MINUTE)), "minute grid after the step back");
      equal(run.sink.samples[9].flags & SampleFlag.TimeQualityMask, 2 << 2, "network time quality");
      clock.setTime(clock.now() + 3_600_000, "server");
      board.scheduler.runFor(3 * MINUTE);
      equal(run.sink.samples.length, 13, "no burst of catch-up readings");
      equal(run.counters.get("sampling.missed_slot"), 60);
    },
  },
  {
    name: "a log that refuses samples is counted and sampling goes on",
    run() {
      const board = newBoard("sched-10");
      transmitter(board, 32, 0);
      const run = startSampling(board, { rails: [{ name: "loop", pin: LOOP_RAIL }], channels: [analog("a", 1, 32, 0)] });
      run.sink.refuse = true;
      board.scheduler.runFor(3 * MINUTE);
      run.sink.refuse = false;
      board.scheduler.runFor(2 * MINUTE);
      equal(run.counters.get("sampling.not_stored"), 3);
      equal(run.sink.samples.length, 2);
    },
  },
  {
    name: "the schedule's extremes: once a day at its offset, and every second",
    run() {
      const board = newBoard("sched-11");
      const run = startSampling(board, {
        channels: [
          { kind: "digital", name: "daily", id: 1, pin: 15, intervalS: 86_400, offsetS: 6 * 3600 },
          { kind: "pulse", name: "fast", id: 2, pin: 14, counter: { type: "hardware", maxHz: 100 }, intervalS: 1 },
        ],
      });
      board.scheduler.runFor(10 * MINUTE);
      equal(run.sink.of(2).length, 600);
      run.engine().stop();
      const daily = startSampling(board, { channels: [{ kind: "digital", name: "daily", id: 1, pin: 15, intervalS: 86_400, offsetS: 6 * 3600 }] });
      board.scheduler.runFor(3 * DAY_MS);
      const epoch = board.trueTime() - board.scheduler.now;
      deepEqual(daily.sink.of(1).map((s) => (s.time - epoch) / 3_600_000), [6, 30, 54]);
    },
  },
  {
    name: "stopping mid-warm-up switches the rail off and saves the exact pulse total",
    run() {
      const board = newBoard("sched-12");
      transmitter(board, 32, 0);
      const meter = new FlowMeter({ pins: board.pins, pin: 14, pulsesPerLitre: 1, flow: () => 50, batchMs: 70 });
      const run = startSampling(board, {
        rails: [{ name: "loop", pin: LOOP_RAIL }],
        channels: [
          analog("a", 1, 32, 5000),
          { kind: "pulse", name: "flow", id: 40, pin: 14, counter: { type: "hardware", maxHz: 100 }, intervalS: 60, persistIntervalS: 600 },
        ],
      });
      board.scheduler.runFor(2 * MINUTE - 2000);
      equal(board.pins.level(LOOP_RAIL), 1, "warming up");
      run.engine().stop();
      equal(board.pins.level(LOOP_RAIL), 0, "off after stop");
      equal(decodePulseTotal(board.storage.read(pulseTotalKey(40))!), meter.pulses);
      const logged = run.sink.samples.length;
      board.scheduler.runFor(5 * MINUTE);
      equal(run.sink.samples.length, logged, "nothing sampled after stop");
    },
  },
];
