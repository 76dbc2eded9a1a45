/**
 * A tipping-bucket rain gauge: every `mmPerTip` of rain tips the bucket, and a magnet closes a reed
 * contact for about 100 ms, with contact bounce at both ends. The contact pulls the pin low
 * against the board's pull-up. The gauge keeps the time of every tip as ground truth.
 */
import type { PinBank } from "../board-io.js";
import type { SeededRandom } from "../seeded-random.js";
import { REED_BOUNCE, switchWithBounce, type BounceModel } from "./contact-bounce.js";

export interface RainGaugeOptions {
  pins: PinBank;
  pin: number;
  mmPerTip: number;
  closureMs?: number;
  bounce?: BounceModel;
  random: SeededRandom;
}

/** A bucket cannot tip faster than this: it has to swing over and settle. */
const MIN_TIP_SPACING_MS = 500;

export class RainGauge {
  /** Virtual times of every tip so far and scheduled, ascending. */
  readonly tipTimes: number[] = [];
  readonly #options: RainGaugeOptions;
  #lastTipAt = -Infinity;
  #carryMm = 0;

  constructor(options: RainGaugeOptions) {
    this.#options = options;
    options.pins.drive(options.pin, 1);
  }

  /** `mm` of rain falling evenly over `durationMs` from virtual time `startMs`. */
  rain(startMs: number, durationMs: number, mm: number): void {
    const { mmPerTip } = this.#options;
    const total = this.#carryMm + mm;
    const tips = Math.floor(total / mmPerTip + 1e-9);
    this.#carryMm = total - tips * mmPerTip;
    for (let i = 0; i < tips; i++) this.#tip(startMs + ((i + 0.5) * durationMs) / tips);
  }

  /** Tips up to virtual time `t` (inclusive). */
  tipsUntil(t: number): number {
    let n = 0;
    while (n < this.tipTimes.length && this.tipTimes[n] <= t) n++;
    return n;
  }

  #tip(atMs: number): void {
    const { pins, pin, closureMs = 100, bounce = REED_BOUNCE, random } = this.#options;
    const at = Math.max(atMs, this.#lastTipAt + MIN_TIP_SPACING_MS);
    this.#lastTipAt = at;
    this.tipTimes.push(at);
    const closed = switchWithBounce(pins, pin, 0, at, bounce, random);
    switchWithBounce(pins, pin, 1, closed + closureMs, bounce, random);
  }
}
