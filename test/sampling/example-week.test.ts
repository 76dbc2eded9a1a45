/**
 * A simulated week with the example configuration, checked against the sources' ground truth: no
 * rain tip lost, every threshold crossing and return logged exactly once (and heard by the exception
 * listener), faults logged as faults, statistics that match the true level, every door move logged.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { AnalogChannelConfig, PulseChannelConfig } from "../../modules/config/channels.js";
import { parseChannelSet } from "../../modules/config/channels-parse.js";
import { REFERENCE_PINS } from "../../modules/platform/reference-board.js";
import { SampleFlag, SensorFault, type Sample } from "../../modules/records/sample.js";
import { attachExampleWorld } from "../../hosts/sim/sources/example-world.js";
import { expectedAlarmChanges, type TruePoint } from "./reference-alarms.js";
import { DAY_MS, newBoard, startSampling, type SamplingRun } from "./sampling-harness.js";

const MINUTE = 60_000;
const ALARMS = SampleFlag.AlarmRaised | SampleFlag.AlarmCleared;
const json: unknown = JSON.parse(readFileSync(new URL("../../examples/config/example.json", import.meta.url), "utf8"));
const config = parseChannelSet(json, REFERENCE_PINS);
const levelConfig = config.channels.find((c) => c.name === "tank-level") as AnalogChannelConfig;
const rainConfig = config.channels.find((c) => c.name === "rain") as PulseChannelConfig;

describe("a simulated week with the example configuration", function () {
  const board = newBoard("example-week");
  const world = attachExampleWorld(board, "example-week");
  let run: SamplingRun;
  before(() => {
    run = startSampling(board, json);
    board.scheduler.runFor(7 * DAY_MS);
  });
  const t = (sample: Sample) => sample.time - (board.trueTime() - board.scheduler.now);
  const changesLogged = (id: number) => run.sink.of(id).filter((s) => s.flags & ALARMS);
  const changesHeard = (id: number) => run.exceptions.filter((e) => e.channel === id).map((e) => `${t(e.sample)}${e.raised ? "+" : "-"}${e.kind}`);

  it("ran the whole week without a crash, with the serial probe waiting for its driver", () => {
    assert.deepEqual(board.crashes, []);
    assert.deepEqual(run.engine().unsampled, ["soil-probe"]);
  });

  it("level: every crossing and return, and every loop fault, is logged once and heard once", () => {
    const slots = Array.from({ length: 7 * 1440 }, (_, i) => (i + 1) * MINUTE);
    const points: TruePoint[] = slots.map((slot) => world.loopFaults.some((f) => slot >= f.fromMs && slot < f.toMs)
      ? { t: slot, fault: true } : { t: slot, value: world.levelAt(slot) });
    const expected = expectedAlarmChanges(points, levelConfig.thresholds!, 0.02);
    assert.equal(expected.length, 12, "the scenario crosses each threshold and fails three times");
    assert.deepEqual(changesHeard(1), expected);
    assert.deepEqual(changesLogged(1).map((s) => t(s)), [...new Set(expected.map((c) => parseInt(c, 10)))]);
  });

  it("level: faults are logged as fault codes, never as values", () => {
    const faulted = run.sink.of(1).filter((s) => s.flags & SampleFlag.Fault);
    assert.deepEqual(faulted.map((s) => [t(s), s.value]), world.loopFaults.map((f) => [
      f.fromMs + 30_000, f.fault === "fail-high" ? SensorFault.Overrange : SensorFault.Underrange,
    ]), "the first sample of each fault carries the alarm; the others are only in the statistics");
  });

  it("level: 15-minute min, max and mean match the true level; windows of faults report the fault", () => {
    const stats = levelConfig.stats!;
    const [mins, maxes, means] = [stats.min!, stats.max!, stats.mean!].map((id) => run.sink.of(id));
    assert.equal(means.length, 7 * 96);
    let faultWindows = 0;
    means.forEach((mean, w) => {
      const end = t(mean);
      const slots = Array.from({ length: 15 }, (_, i) => end - (14 - i) * MINUTE);
      const valid = slots.filter((slot) => !world.loopFaults.some((f) => slot >= f.fromMs && slot < f.toMs));
      if (!valid.length) {
        faultWindows++;
        assert.equal(mean.flags & SampleFlag.Fault, SampleFlag.Fault, `window ${end}`);
        return;
      }
      const truths = valid.map((slot) => world.levelAt(slot));
      const tolerance = 0.006;
      assert.ok(Math.abs(mins[w].value - Math.min(...truths)) < tolerance, `min of window ending ${end}`);
      assert.ok(Math.abs(maxes[w].value - Math.max(...truths)) < tolerance, `max of window ending ${end}`);
      assert.ok(Math.abs(mean.value - truths.reduce((a, b) => a + b) / truths.length) < tolerance, `mean of window ending ${end}`);
    });
    assert.equal(faultWindows, 8 + 2, "eight windows of loop break, two of a stuck transmitter");
  });

  it("rain: no tip lost or counted twice, at every sample and at the end", () => {
    const totals = run.sink.of(rainConfig.id);
    assert.equal(totals.length, 7 * 288);
    for (const sample of totals) {
      assert.equal(sample.value, Math.round(world.rain.tipsUntil(t(sample)) * 2) / 10, `total at ${t(sample)}`);
    }
    assert.equal(totals[totals.length - 1].value, Math.round(world.rain.tipTimes.length * 2) / 10);
    assert.ok(world.rain.tipTimes.length > 100);
  });

  it("rain: the hourly rate and its alarm follow the tips", () => {
    const rate = rainConfig.rate!;
    const slots = Array.from({ length: 7 * 288 }, (_, i) => (i + 1) * 5 * MINUTE);
    const truth = slots.map((slot) => ({ t: slot, value: (world.rain.tipsUntil(slot) - world.rain.tipsUntil(slot - 5 * MINUTE)) * 0.2 * 12 }));
    assert.deepEqual(run.sink.of(rate.id).map((s) => s.value), truth.map((p) => Math.round(p.value * 10) / 10));
    const expected = expectedAlarmChanges(truth, rate.thresholds!, 0.1);
    assert.equal(expected.length, 2, "the storm raises the alarm and it clears");
    assert.deepEqual(changesHeard(rate.id), expected);
    assert.equal(changesLogged(rate.id).length, 2);
  });

  it("door: every move is an event at its time, alarms on opening, hourly states match", () => {
    const moves = [...world.door.moves].sort((a, b) => a.atMs - b.atMs);
    const samples = run.sink.of(30);
    const events = samples.filter((s) => s.flags & SampleFlag.Event);
    assert.deepEqual(events.map((s) => [t(s), s.value, s.flags & ALARMS]),
      moves.map((m) => [m.atMs, m.open ? 1 : 0, m.open ? SampleFlag.AlarmRaised : SampleFlag.AlarmCleared]));
    const openAt = (at: number) => moves.filter((m) => m.atMs <= at).pop()?.open ?? false;
    const states = samples.filter((s) => !(s.flags & SampleFlag.Event));
    assert.equal(states.length, 7 * 24);
    assert.deepEqual(states.map((s) => s.value), states.map((s) => (openAt(t(s)) ? 1 : 0)));
    assert.ok(states.some((s) => s.value === 1), "the Wednesday door open spans an hour");
    assert.equal(changesHeard(30).length, moves.length);
  });

  it("logged nothing twice and nothing out of the configured channels", () => {
    const keys = run.sink.samples.filter((s) => !(s.flags & SampleFlag.Event)).map((s) => `${s.channel}@${s.time}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual([...new Set(run.sink.samples.map((s) => s.channel))].sort((a, b) => a - b), [1, 2, 3, 4, 20, 21, 30]);
  });
});
