/**
 * The example configuration's site for any number of days (hosts/sim/sources/example-world.ts
 * scripts its first week only): a tank filled by day and drawn down by night, with an overflow
 * every ninth day and a fast drain every eleventh (threshold alarms, so exception sessions), a
 * loop fault now and then, seeded showers on the rain gauge, the door opened on working days,
 * and the SDI-12 soil probe. Virtual time 0 is taken as midnight.
 */
import type { SimBoard } from "../board.js";
import { soilProbe } from "../peers/sdi12-probes.js";
import { SeededRandom } from "../seeded-random.js";
import { DoorContact } from "../sources/door-contact.js";
import { LevelTransmitter } from "../sources/level-transmitter.js";
import { RainGauge } from "../sources/rain-gauge.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Pins of examples/config/example.json on the reference board. */
const PINS = Object.freeze({ level: 32, loopRail: 25, rain: 13, door: 15 });

export interface SiteSources {
  levelAt(t: number): number;
  rain: RainGauge;
  door: DoorContact;
}

/** The true level at virtual time t: a daily cycle between 2 and 3 m, and the events. */
export function siteLevel(t: number): number {
  const day = Math.floor(t / DAY);
  const inDay = t - day * DAY;
  const base = 2.5 - 0.5 * Math.cos((2 * Math.PI * inDay) / DAY);
  if (day % 9 === 1 && inDay >= 10 * HOUR && inDay < 12 * HOUR) return Math.min(4.6, base + (inDay - 10 * HOUR) / (10 * MINUTE));
  if (day % 11 === 3 && inDay >= 14 * HOUR && inDay < 16 * HOUR) return 0.3;
  return base;
}

export function attachSiteSources(board: SimBoard, seed: string, days: number): SiteSources {
  const random = new SeededRandom(`${seed}:site`);
  const transmitter = new LevelTransmitter({
    pins: board.pins, pin: PINS.level, railPin: PINS.loopRail, shuntOhms: 150, rangeMin: 0, rangeMax: 5, level: siteLevel,
    noiseMa: 0.003, driftMaPerDay: 0.001, startupMs: 1500, random: random.fork("transmitter"),
  });
  const rain = new RainGauge({ pins: board.pins, pin: PINS.rain, mmPerTip: 0.2, random: random.fork("rain") });
  const door = new DoorContact({ pins: board.pins, pin: PINS.door, random: random.fork("door") });
  const weather = random.fork("weather");
  for (let day = 0; day < days; day++) {
    const at = day * DAY;
    if (weather.next() < 0.3) rain.rain(at + weather.below(20) * HOUR + 7_000, (1 + weather.below(3)) * HOUR, 1 + weather.below(12));
    if (day % 7 < 5) {
      door.openFor(at + 8 * HOUR + 17_000 + weather.below(600) * 1000, (5 + weather.below(10)) * MINUTE);
      door.openFor(at + 16 * HOUR + 3_000 + weather.below(600) * 1000, (3 + weather.below(5)) * MINUTE);
    }
    if (day % 13 === 6) {
      board.scheduler.at(at + 20 * HOUR + 30_000, () => transmitter.inject("loop-break"));
      board.scheduler.at(at + 21 * HOUR + 30_000, () => transmitter.inject(undefined));
    }
  }
  soilProbe(board.attach("sdi12", "soil-probe"));
  return { levelAt: siteLevel, rain, door };
}
