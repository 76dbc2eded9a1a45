/**
 * Samples per second through the whole sampling path: schedule, drivers over the simulated IO,
 * alarms, statistics, and into the ring log on the simulated NOR flash, on a board with every
 * input read every second. The same run into a memory sink is the baseline that shows what the
 * log costs. Also the wall time of the example configuration's simulated week.
 */
import { readFileSync } from "node:fs";
import { HealthCounters } from "../modules/health/counters.js";
import { parseChannelSet } from "../modules/config/channels-parse.js";
import { RingLog } from "../modules/log/ring-log.js";
import type { Platform } from "../modules/platform/platform.js";
import { REFERENCE_PINS } from "../modules/platform/reference-board.js";
import type { SampleSink } from "../modules/records/sample.js";
import { SamplingEngine } from "../modules/sampling/engine.js";
import { SeededRandom } from "../hosts/sim/seeded-random.js";
import { attachExampleWorld } from "../hosts/sim/sources/example-world.js";
import { FlowMeter } from "../hosts/sim/sources/flow-meter.js";
import { LevelTransmitter } from "../hosts/sim/sources/level-transmitter.js";
import { DAY_MS, newBoard, startSampling } from "../test/sampling/sampling-harness.js";

const HOUR = 3_600_000;
const SIMULATED_MS = 2 * HOUR;

function everySecond() {
  const analog = REFERENCE_PINS.analog.map((pin, i) => ({
    kind: "analog", name: `level-${i}`, id: 1 + i, pin, signal: { type: "current", shuntOhms: 150 }, scale: { min: 0, max: 5 },
    average: 8, decimals: 3, intervalS: 1, thresholds: { high: 4, low: 1, deadband: 0.1 },
    stats: { intervalS: 60, min: 11 + i * 4, max: 12 + i * 4, mean: 13 + i * 4, keepSamples: true },
  }));
  const pulse = REFERENCE_PINS.pulse.map((pin, i) => ({
    kind: "pulse", name: `flow-${i}`, id: 40 + i * 2, pin, counter: { type: "hardware", maxHz: 5000 }, kFactor: 0.01,
    intervalS: 1, rate: { id: 41 + i * 2, perSeconds: 1 },
  }));
  const digital = REFERENCE_PINS.digital.map((pin, i) => ({ kind: "digital", name: `contact-${i}`, id: 50 + i, pin, intervalS: 1 }));
  return { channels: [...analog, ...pulse, ...digital] };
}

/** Runs the every-second board for `simulatedMs` into the sink its firmware makes at boot. */
function throughput(makeSink: (platform: Platform) => SampleSink, simulatedMs = SIMULATED_MS): Record<string, number> {
  const board = newBoard("bench");
  const random = new SeededRandom("bench");
  REFERENCE_PINS.analog.forEach((pin) => new LevelTransmitter({
    pins: board.pins, pin, shuntOhms: 150, rangeMin: 0, rangeMax: 5, level: (t) => 2.5 + 2 * Math.sin(t / 600_000),
    noiseMa: 0.005, random: random.fork(`tx${pin}`),
  }));
  REFERENCE_PINS.pulse.forEach((pin) => new FlowMeter({ pins: board.pins, pin, pulsesPerLitre: 100, flow: () => 20, batchMs: 1000 }));
  const config = parseChannelSet(everySecond(), board.pinMap);
  let samples = 0;
  board.start((platform) => {
    const sink = makeSink(platform);
    const counting: SampleSink = { append: (sample) => { samples++; return sink.append(sample); } };
    new SamplingEngine({ platform, config, sink: counting, counters: new HealthCounters() }).start();
  });
  const start = performance.now();
  board.scheduler.runFor(simulatedMs);
  const seconds = (performance.now() - start) / 1000;
  return {
    samples,
    samplesPerSecond: Math.round(samples / seconds),
    simulatedHoursPerWallSecond: Number((simulatedMs / HOUR / seconds).toFixed(1)),
    flashBytesProgrammed: board.flash.stats.bytesProgrammed,
  };
}

function exampleWeekSeconds(): Record<string, number> {
  const json: unknown = JSON.parse(readFileSync(new URL("../examples/config/example.json", import.meta.url), "utf8"));
  const board = newBoard("bench-week");
  attachExampleWorld(board, "bench-week");
  const run = startSampling(board, json);
  const start = performance.now();
  board.scheduler.runFor(7 * DAY_MS);
  return {
    exampleWeekWallSeconds: Number(((performance.now() - start) / 1000).toFixed(3)),
    exampleWeekSamples: run.sink.samples.length,
    exampleWeekEvents: board.scheduler.executed,
  };
}

export default async function sampling(): Promise<Record<string, unknown>> {
  const memorySink = () => ({ append: () => true });
  throughput(memorySink, HOUR / 4); // warms the JIT, so that neither measured run pays for it
  let stored = 0;
  const toFlash = throughput((platform) => {
    const { log } = RingLog.mount(platform.flash, { policy: "drop-oldest", autoFlush: { timers: platform.timers, afterMs: 10_000 } });
    return { append: (sample) => { const ok = log.append(sample); if (ok) stored++; return ok; } };
  });
  const toMemory = throughput(memorySink);
  return {
    channels: everySecond().channels.length,
    simulatedHours: SIMULATED_MS / HOUR,
    toFlash: { ...toFlash, stored },
    baselineToMemory: toMemory,
    ...exampleWeekSeconds(),
  };
}
