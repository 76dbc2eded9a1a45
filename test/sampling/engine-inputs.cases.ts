/**
 * The sampling engine with each simulated source, checked against the source's ground truth:
 * a level transmitter's thresholds, statistics and loop faults; a door contact's edges; a rain
 * gauge's and a kHz flow meter's totals and rates; and what survives a power cut.
 */
import { SampleFlag, SensorFault, type Sample } from "../../modules/records/sample.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { DoorContact } from "../../hosts/sim/sources/door-contact.js";
import { FlowMeter } from "../../hosts/sim/sources/flow-meter.js";
import { LevelTransmitter } from "../../hosts/sim/sources/level-transmitter.js";
import { RainGauge } from "../../hosts/sim/sources/rain-gauge.js";
import type { SimBoard } from "../../hosts/sim/board.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { newBoard, startSampling } from "./sampling-harness.js";

const MINUTE = 60_000;
const ALARM_FLAGS = SampleFlag.AlarmRaised | SampleFlag.AlarmCleared;

const level = (extra: Record<string, unknown> = {}) => ({
  kind: "analog", name: "level", id: 1, pin: 32, signal: { type: "current", shuntOhms: 150 }, scale: { min: 0, max: 5 },
  intervalS: 60, average: 4, ...extra,
});

function transmitter(board: SimBoard, profile: (t: number) => number): LevelTransmitter {
  return new LevelTransmitter({
    pins: board.pins, pin: 32, shuntOhms: 150, rangeMin: 0, rangeMax: 5, level: profile, noiseMa: 0.003, random: new SeededRandom("tx"),
  });
}

/** Virtual time of a logged sample. */
function at(board: SimBoard, sample: Sample): number {
  return sample.time - (board.trueTime() - board.scheduler.now);
}

export const cases: TestCase[] = [
  {
    name: "level thresholds: each crossing and each return is one flagged sample and one exception, at once",
    run() {
      const board = newBoard("level-1");
      // Rises 0.1 m a minute from 3.55 m at minute 10 to 4.55 m, holds, falls back; then drops fast below the low level.
      const profile = (t: number) => {
        const m = t / MINUTE;
        if (m < 10) return 3.55;
        if (m < 20) return 3.55 + (m - 10) * 0.1;
        if (m < 30) return 4.55;
        if (m < 40) return 4.55 - (m - 30) * 0.1;
        if (m < 43) return 3.55 - (m - 40) * 1.05;
        return 0.4;
      };
      transmitter(board, profile);
      const run = startSampling(board, {
        channels: [level({ stats: { intervalS: 900, mean: 2 }, thresholds: { high: 4.2, low: 0.5, deadband: 0.1, rateOfChange: { limit: 0.5, perSeconds: 60 } } })],
      });
      const heard: Array<[number, number]> = [];
      run.engine().onException((event) => heard.push([board.scheduler.now, event.sample.time]));
      board.scheduler.runFor(60 * MINUTE);
      const flagged = run.sink.of(1).map((s) => [at(board, s) / MINUTE, s.flags & ALARM_FLAGS]);
      deepEqual(flagged, [[17, SampleFlag.AlarmRaised], [35, SampleFlag.AlarmCleared], [41, SampleFlag.AlarmRaised],
        [43, SampleFlag.AlarmRaised], [44, SampleFlag.AlarmCleared]], "only samples that change an alarm are logged");
      deepEqual(run.exceptions.map((e) => `${at(board, e.sample) / MINUTE}${e.raised ? "+" : "-"}${e.kind}`),
        ["17+high", "35-high", "41+rate", "43+low", "44-rate"]);
      ok(heard.every(([now, time]) => time - (board.trueTime() - board.scheduler.now) === now), "heard when sampled");
      equal(run.sink.of(2).length, 4, "the 15-minute means");
    },
  },
  {
    name: "15-minute statistics match the transmitter's truth",
    run() {
      const board = newBoard("level-2");
      const profile = (t: number) => 2.5 + Math.sin(t / (20 * MINUTE));
      const source = transmitter(board, profile);
      const run = startSampling(board, { channels: [level({ average: 8, stats: { intervalS: 900, min: 2, max: 3, mean: 4, last: 5 } })] });
      board.scheduler.runFor(3 * 60 * MINUTE);
      equal(run.sink.of(1).length, 0, "samples are not kept");
      const truthAt = (minute: number) => ((source.idealCurrentMa(minute * MINUTE) - 4) / 16) * 5;
      const windows = run.sink.of(4).map((s) => at(board, s) / MINUTE);
      deepEqual(windows, [15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180]);
      windows.forEach((end, w) => {
        const truths = Array.from({ length: 15 }, (_, i) => truthAt(end - 14 + i));
        const expected = [Math.min(...truths), Math.max(...truths), truths.reduce((a, b) => a + b) / 15, truths[14]];
        const logged = [2, 3, 4, 5].map((id) => run.sink.of(id)[w].value);
        logged.forEach((value, k) => ok(Math.abs(value - expected[k]) < 0.004, `window ${end} stat ${k}: ${value} vs ${expected[k]}`));
      });
    },
  },
  {
    name: "a loop break, a stuck transmitter and a 22 mA failure are fault records, one fault alarm each",
    run() {
      const board = newBoard("level-3");
      const source = transmitter(board, () => 2);
      const run = startSampling(board, { channels: [level({ thresholds: { high: 4.5, deadband: 0 } })] });
      const faults = [["loop-break", 10, 20], ["stuck-low", 30, 35], ["fail-high", 40, 41]] as const;
      for (const [fault, from, to] of faults) {
        board.scheduler.at(from * MINUTE - 30_000, () => source.inject(fault));
        board.scheduler.at(to * MINUTE - 30_000, () => source.inject(undefined));
      }
      board.scheduler.runFor(50 * MINUTE);
      const faulted = run.sink.of(1).filter((s) => s.flags & SampleFlag.Fault);
      const expected = faults.flatMap(([fault, from, to]) => Array.from({ length: to - from }, (_, i) => [
        from + i, fault === "fail-high" ? SensorFault.Overrange : SensorFault.Underrange, i === 0 ? SampleFlag.AlarmRaised : 0,
      ]));
      deepEqual(faulted.map((s) => [at(board, s) / MINUTE, s.value, s.flags & ALARM_FLAGS]), expected,
        "faults are logged with their code, not as values; the first of each run raises the alarm");
      const nonFaulted = run.sink.of(1).filter((s) => !(s.flags & SampleFlag.Fault));
      ok(nonFaulted.every((s) => Math.abs(s.value - 2) < 0.01), "no implausible value");
      deepEqual(run.exceptions.map((e) => `${at(board, e.sample) / MINUTE}${e.raised ? "+" : "-"}${e.kind}`),
        ["10+fault", "20-fault", "30+fault", "35-fault", "40+fault", "41-fault"]);
    },
  },
  {
    name: "door contact: each move logged at once as an event, alarm on opening, state on schedule",
    run() {
      const board = newBoard("door-1");
      const door = new DoorContact({ pins: board.pins, pin: 15, random: new SeededRandom("door") });
      const run = startSampling(board, { channels: [{ kind: "digital", name: "door", id: 30, pin: 15, intervalS: 600, alarmState: 1, debounceMs: 50 }] });
      door.openFor(7 * MINUTE, 90_000);
      door.openFor(31 * MINUTE + 500, 20 * MINUTE);
      board.scheduler.runFor(60 * MINUTE);
      const events = run.sink.of(30).filter((s) => s.flags & SampleFlag.Event);
      deepEqual(events.map((s) => [at(board, s), s.value, s.flags & ALARM_FLAGS]),
        door.moves.map((m) => [m.atMs, m.open ? 1 : 0, m.open ? SampleFlag.AlarmRaised : SampleFlag.AlarmCleared]));
      const states = run.sink.of(30).filter((s) => !(s.flags & SampleFlag.Event));
      deepEqual(states.map((s) => [at(board, s) / MINUTE, s.value]), [[10, 0], [20, 0], [30, 0], [40, 1], [50, 1], [60, 0]]);
      deepEqual(run.exceptions.map((e) => e.raised), [true, false, true, false]);
    },
  },
  {
    name: "rain gauge: the total follows every tip, the rate per hour raises and clears its alarm once",
    run() {
      const board = newBoard("rain-1");
      const gauge = new RainGauge({ pins: board.pins, pin: 13, mmPerTip: 0.2, random: new SeededRandom("gauge") });
      const run = startSampling(board, {
        channels: [{
          kind: "pulse", name: "rain", id: 20, pin: 13, counter: { type: "contact", activeLow: true }, kFactor: 0.2, decimals: 1,
          intervalS: 300, rate: { id: 21, perSeconds: 3600, decimals: 1, thresholds: { high: 20, deadband: 5 } },
        }],
      });
      // Tips fall between slots: one within the debounce time of a slot would be counted in the next.
      gauge.rain(2 * MINUTE + 7_000, 20 * MINUTE, 3);
      gauge.rain(40 * MINUTE, 10 * MINUTE, 6);
      board.scheduler.runFor(90 * MINUTE);
      const totals = run.sink.of(20);
      equal(totals.length, 18);
      for (const sample of totals) equal(sample.value, Math.round(gauge.tipsUntil(at(board, sample)) * 2) / 10, `total at ${at(board, sample)}`);
      const rates = run.sink.of(21);
      rates.forEach((sample, i) => {
        const end = at(board, sample);
        const tips = gauge.tipsUntil(end) - gauge.tipsUntil(end - 5 * MINUTE);
        equal(sample.value, Math.round(tips * 0.2 * 12 * 10) / 10, `rate ${i}`);
      });
      deepEqual(run.exceptions.map((e) => `${at(board, e.sample) / MINUTE}${e.raised ? "+" : "-"}${e.kind}`), ["45+high", "55-high"]);
    },
  },
  {
    name: "flow meter at 4 kHz: total litres and flow in L/s match the meter through the engine",
    run() {
      const board = newBoard("flow-1");
      const flow = (t: number) => (t < 30 * MINUTE ? 40 : 25);
      // Batches every 70 ms never coincide with a 15-minute slot, so the meter's count at a slot is unambiguous.
      const meter = new FlowMeter({ pins: board.pins, pin: 14, pulsesPerLitre: 100, flow, batchMs: 70 });
      const run = startSampling(board, {
        channels: [{
          kind: "pulse", name: "flow", id: 40, pin: 14, counter: { type: "hardware", filterNs: 1000, maxHz: 5000 }, kFactor: 0.01,
          intervalS: 900, rate: { id: 41, perSeconds: 1 },
        }],
      });
      board.scheduler.runFor(60 * MINUTE);
      equal(run.sink.of(40)[3].value, meter.pulses * 0.01, "every pulse counted");
      deepEqual(run.sink.of(41).map((s) => Math.round(s.value * 1000) / 1000), [40, 40, 25, 25]);
    },
  },
  {
    name: "power cut: the pulse total resumes from its saved value, and alarms are not raised twice",
    run() {
      const board = newBoard("cut-1");
      const meter = new FlowMeter({ pins: board.pins, pin: 14, pulsesPerLitre: 100, flow: () => 10 });
      transmitter(board, () => 4.8);
      const run = startSampling(board, {
        channels: [
          level({ thresholds: { high: 4.5, deadband: 0.1 } }),
          { kind: "pulse", name: "flow", id: 40, pin: 14, counter: { type: "hardware", maxHz: 2000 }, intervalS: 60, persistIntervalS: 120 },
        ],
      });
      board.scheduler.runFor(10 * MINUTE + 30_000);
      const beforeCut = meter.pulses;
      board.cutPower();
      board.scheduler.runFor(2 * MINUTE);
      const pulsesWhileOff = meter.pulses - beforeCut;
      board.powerOn();
      board.scheduler.runFor(5 * MINUTE);
      const totals = run.sink.of(40).map((s) => s.value);
      ok(totals.every((v, i) => i === 0 || v >= totals[i - 1] - 120_000), "a cut loses at most one persist interval");
      const last = totals[totals.length - 1];
      ok(last <= meter.pulses - pulsesWhileOff, "never counted twice");
      ok(last >= meter.pulses - pulsesWhileOff - 120 * 1000, "lost at most 120 s of pulses");
      deepEqual(run.exceptions.map((e) => `${e.raised ? "+" : "-"}${e.kind}`), ["+high"], "raised once across the reset");
      equal(board.bootCount, 2);
    },
  },
];
