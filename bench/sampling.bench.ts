/**
 * Samples per second through the sampling path: schedule, rails, drivers over the simulated IO,
 * alarms, statistics and the sink, on a board with every input read every second. Also the wall
 * time of the example configuration's simulated week (test/sampling/example-week.ts).
 */
import { DAY_MS, newBoard, startSampling } from "../test/sampling/sampling-harness.js";
import { readFileSync } from "node:fs";
import { REFERENCE_PINS } from "../modules/platform/reference-board.js";
import { SeededRandom } from "../hosts/sim/seeded-random.js";
import { FlowMeter } from "../hosts/sim/sources/flow-meter.js";
import { LevelTransmitter } from "../hosts/sim/sources/level-transmitter.js";
import { attachExampleWorld } from "../hosts/sim/sources/example-world.js";

const HOUR = 3_600_000;

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

function samplesPerSecond(simulatedMs: number): Record<string, number> {
  const board = newBoard("bench");
  const random = new SeededRandom("bench");
  REFERENCE_PINS.analog.forEach((pin) => new LevelTransmitter({
    pins: board.pins, pin, shuntOhms: 150, rangeMin: 0, rangeMax: 5, level: (t) => 2.5 + 2 * Math.sin(t / 600_000),
    noiseMa: 0.005, random: random.fork(`tx${pin}`),
  }));
  REFERENCE_PINS.pulse.forEach((pin) => new FlowMeter({ pins: board.pins, pin, pulsesPerLitre: 100, flow: () => 20, batchMs: 1000 }));
  const run = startSampling(board, everySecond());
  const start = performance.now();
  board.scheduler.runFor(simulatedMs);
  const seconds = (performance.now() - start) / 1000;
  return {
    samples: run.sink.samples.length,
    samplesPerSecond: Math.round(run.sink.samples.length / seconds),
    simulatedHoursPerWallSecond: Number((simulatedMs / HOUR / seconds).toFixed(1)),
  };
}

export default async function sampling(): Promise<Record<string, unknown>> {
  const path = samplesPerSecond(2 * HOUR);
  const json: unknown = JSON.parse(readFileSync(new URL("../examples/config/example.json", import.meta.url), "utf8"));
  const board = newBoard("bench-week");
  attachExampleWorld(board, "bench-week");
  const run = startSampling(board, json);
  const start = performance.now();
  board.scheduler.runFor(7 * DAY_MS);
  const weekSeconds = (performance.now() - start) / 1000;
  return {
    sink: "memory",
    channels: everySecond().channels.length,
    ...path,
    exampleWeekWallSeconds: Number(weekSeconds.toFixed(3)),
    exampleWeekSamples: run.sink.samples.length,
    exampleWeekEvents: board.scheduler.executed,
  };
}
