/**
 * A mechanical contact does not switch cleanly: for a few milliseconds it chatters between open
 * and closed before it settles. This schedules such a transition on a pin.
 */
import type { PinBank } from "../board-io.js";
import type { SeededRandom } from "../seeded-random.js";

export interface BounceModel {
  /** Extra open/close pairs before the contact settles. */
  maxBounces: number;
  /** Longest chatter gap, ms. */
  maxGapMs: number;
}

export const REED_BOUNCE: BounceModel = Object.freeze({ maxBounces: 4, maxGapMs: 1.5 });

/** Moves `pin` to `level` at virtual time `atMs`, chattering first; returns when it has settled. */
export function switchWithBounce(pins: PinBank, pin: number, level: 0 | 1, atMs: number, bounce: BounceModel, random: SeededRandom): number {
  const scheduler = pins.scheduler;
  let t = atMs;
  const other: 0 | 1 = level ? 0 : 1;
  const bounces = random.below(bounce.maxBounces + 1);
  for (let i = 0; i < bounces; i++) {
    scheduler.at(t, () => pins.drive(pin, level));
    t += 0.05 + random.next() * bounce.maxGapMs;
    scheduler.at(t, () => pins.drive(pin, other));
    t += 0.05 + random.next() * bounce.maxGapMs;
  }
  scheduler.at(t, () => pins.drive(pin, level));
  return t;
}
