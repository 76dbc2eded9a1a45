/**
 * Deterministic workloads for the ring log: rounds of samples (several channels at one time),
 * flushes, sends, acknowledgements with a lag, and clean reboots, drawn from a seed.
 */
import { SampleFlag, SensorFault, type Sample } from "../../modules/records/sample.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";

export type LogOp =
  | { kind: "append"; sample: Sample }
  | { kind: "flush" }
  | { kind: "send" }
  /** Acknowledge up to `lag` records behind the newest durable one. */
  | { kind: "ack"; lag: number }
  /** Power goes away between operations: whatever was in RAM is lost. */
  | { kind: "reboot" };

export interface ScenarioShape {
  rounds: number;
  /** About how many records the log holds: outages and acknowledgement lags are drawn against it. */
  capacity: number;
  /** Chance that a round ends with a flush. */
  flushChance?: number;
  rebootChance?: number;
}

const START = Date.UTC(2026, 0, 1);

export function makeScenario(seed: number | string, shape: ScenarioShape): LogOp[] {
  const random = new SeededRandom(`scenario:${seed}`);
  const ops: LogOp[] = [];
  let time = START;
  let counter = 0;
  let flags = 0x08;
  // Rounds left without acknowledgements (the uplink is out), so that the ring fills up.
  let outage = 0;
  for (let round = 0; round < shape.rounds; round++) {
    time += nextStep(random);
    if (random.next() < 0.05) flags = random.below(4) << 2;
    const channels = 1 + random.below(4);
    const firstChannel = random.next() < 0.9 ? 0 : random.below(0x10000);
    for (let c = 0; c < channels; c++) ops.push({ kind: "append", sample: nextSample(random, (firstChannel + c) & 0xffff, time, flags, counter += random.below(300)) });
    if (random.next() < (shape.flushChance ?? 0.3)) ops.push({ kind: "flush" });
    if (outage > 0) outage--;
    else if (random.next() < 0.04) outage = Math.ceil((shape.capacity * (0.6 + 1.4 * random.next())) / 2.5);
    else {
      if (random.next() < 0.1) ops.push({ kind: "send" });
      if (random.next() < 0.15) ops.push({ kind: "ack", lag: random.next() < 0.5 ? 0 : random.below(shape.capacity / 3) });
    }
    if (random.next() < (shape.rebootChance ?? 0.01)) ops.push({ kind: "reboot" });
  }
  ops.push({ kind: "flush" });
  return ops;
}

function nextSample(random: SeededRandom, channel: number, time: number, flags: number, counter: number): Sample {
  const kind = random.next();
  if (kind < 0.6) return { channel, time, value: 20 + 5 * random.gaussian(), flags };
  if (kind < 0.8) return { channel, time, value: counter, flags };
  if (kind < 0.9) return { channel, time, value: SensorFault.Timeout + random.below(6), flags: flags | SampleFlag.Fault };
  return { channel, time, value: [Number.NaN, -0, 1e30, -123456789, 0.1, Number.POSITIVE_INFINITY][random.below(6)], flags };
}

function nextStep(random: SeededRandom): number {
  const r = random.next();
  if (r < 0.7) return 60_000;
  if (r < 0.85) return 1 + random.below(5000);
  if (r < 0.95) return 3_600_000 * (1 + random.below(48));
  return -random.below(86_400_000);
}
