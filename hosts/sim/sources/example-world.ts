/**
 * The world around the example configuration (examples/config/example.json) for its first week,
 * wired to a simulated board: a tank level transmitter on the "loop" rail with an overflow, a fast
 * drain and three loop faults, a rain gauge with showers and a storm, and a door opened twice each
 * working day, and an SDI-12 soil probe on the sdi12 bus. The sources keep their ground truth for tests. Virtual time 0 is taken as midnight.
 */
import type { SimBoard } from "../board.js";
import { soilProbe } from "../peers/sdi12-probes.js";
import type { Sdi12SensorPeer } from "../peers/sdi12-sensor.js";
import { SeededRandom } from "../seeded-random.js";
import { DoorContact } from "./door-contact.js";
import { LevelTransmitter, type LoopFault } from "./level-transmitter.js";
import { RainGauge } from "./rain-gauge.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY_MS = 86_400_000;

export interface ExampleWorld {
  /** The true level at virtual time t. */
  levelAt(t: number): number;
  transmitter: LevelTransmitter;
  loopFaults: ReadonlyArray<{ fault: LoopFault; fromMs: number; toMs: number }>;
  rain: RainGauge;
  door: DoorContact;
  /** The SDI-12 soil probe at address 0 (hosts/sim/peers). */
  soil: Sdi12SensorPeer;
}

/** Keyframes [virtual ms, level m], linear in between: a daily fill and draw-down plus two events. */
function levelKeyframes(): Array<[number, number]> {
  const frames: Array<[number, number]> = [];
  for (let day = 0; day < 7; day++) {
    frames.push([day * DAY_MS, 2], [day * DAY_MS + 6 * HOUR, 3], [day * DAY_MS + 18 * HOUR, 3]);
  }
  frames.push([7 * DAY_MS, 2]);
  // Tuesday: an overflow, rising 0.1 m a minute to 4.6 m, an hour and a half there, and back.
  const overflow = DAY_MS + 8 * HOUR + 30_000;
  frames.push([overflow, 3], [overflow + 16 * MINUTE, 4.6], [overflow + 90 * MINUTE, 4.6], [overflow + 106 * MINUTE, 3]);
  // Thursday: a fast drain at 1 m a minute to 0.3 m, two hours empty, a slow refill.
  const drain = 3 * DAY_MS + 12 * HOUR + 20_000;
  const refill = drain + 2 * HOUR + 10_000;
  frames.push([drain, 3], [drain + 162_000, 0.3], [refill, 0.3], [refill + 54 * MINUTE, 3]);
  return frames.sort((a, b) => a[0] - b[0]);
}

function interpolator(frames: ReadonlyArray<[number, number]>): (t: number) => number {
  return (t) => {
    let i = 1;
    while (i < frames.length - 1 && frames[i][0] < t) i++;
    const [t0, v0] = frames[i - 1];
    const [t1, v1] = frames[i];
    return v0 + ((t - t0) * (v1 - v0)) / (t1 - t0);
  };
}

/** Attaches the example's sources to `board`'s pins (level 32 on rail 25, rain 13, door 15). */
export function attachExampleWorld(board: SimBoard, seed: string): ExampleWorld {
  const random = new SeededRandom(`${seed}:world`);
  const levelAt = interpolator(levelKeyframes());
  const transmitter = new LevelTransmitter({
    pins: board.pins, pin: 32, railPin: 25, shuntOhms: 150, rangeMin: 0, rangeMax: 5, level: levelAt,
    noiseMa: 0.003, driftMaPerDay: 0.002, startupMs: 1500, random: random.fork("transmitter"),
  });
  const loopFaults = [
    { fault: "loop-break" as const, fromMs: 5 * DAY_MS + 10 * HOUR + 30_000, toMs: 5 * DAY_MS + 12 * HOUR + 30_000 },
    { fault: "stuck-low" as const, fromMs: 6 * DAY_MS + 15 * HOUR + 30_000, toMs: 6 * DAY_MS + 15 * HOUR + 30 * MINUTE + 30_000 },
    { fault: "fail-high" as const, fromMs: 6 * DAY_MS + 20 * HOUR + 30_000, toMs: 6 * DAY_MS + 20 * HOUR + 10 * MINUTE + 30_000 },
  ];
  for (const { fault, fromMs, toMs } of loopFaults) {
    board.scheduler.at(fromMs, () => transmitter.inject(fault));
    board.scheduler.at(toMs, () => transmitter.inject(undefined));
  }
  const rain = new RainGauge({ pins: board.pins, pin: 13, mmPerTip: 0.2, random: random.fork("rain") });
  rain.rain(14 * HOUR + 7_000, 2 * HOUR, 2);
  rain.rain(2 * DAY_MS + 3 * HOUR + 7_000, 30 * MINUTE, 15);
  rain.rain(2 * DAY_MS + 3 * HOUR + 40 * MINUTE + 7_000, 2 * HOUR, 5);
  rain.rain(4 * DAY_MS + 20 * HOUR + 7_000, HOUR, 4);
  const door = new DoorContact({ pins: board.pins, pin: 15, random: random.fork("door") });
  for (let day = 0; day < 5; day++) {
    door.openFor(day * DAY_MS + 8 * HOUR + 17_000 + day * 1000, 10 * MINUTE);
    door.openFor(day * DAY_MS + 17 * HOUR + 3_000, 5 * MINUTE + day * 7_000);
  }
  door.openFor(2 * DAY_MS + 11 * HOUR + 55 * MINUTE, 10 * MINUTE);
  const soil = soilProbe(board.attach("sdi12", "soil-probe"));
  return { levelAt, transmitter, loopFaults, rain, door, soil };
}
