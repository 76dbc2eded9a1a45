/**
 * A door's magnetic contact: closed (pin low) while the door is shut, open (pin high, by the
 * board's pull-up) while it is open, with contact bounce on every move. It records every move as
 * ground truth.
 */
import type { PinBank } from "../board-io.js";
import type { SeededRandom } from "../seeded-random.js";
import { REED_BOUNCE, switchWithBounce, type BounceModel } from "./contact-bounce.js";

export interface DoorContactOptions {
  pins: PinBank;
  pin: number;
  bounce?: BounceModel;
  random: SeededRandom;
}

export class DoorContact {
  /** Every move: virtual time and whether the door is open after it. */
  readonly moves: Array<{ atMs: number; open: boolean }> = [];
  readonly #options: DoorContactOptions;

  constructor(options: DoorContactOptions) {
    this.#options = options;
    options.pins.drive(options.pin, 0);
  }

  /** The door opens at virtual time `atMs` and stays open for `forMs`. */
  openFor(atMs: number, forMs: number): void {
    this.#move(atMs, true);
    this.#move(atMs + forMs, false);
  }

  #move(atMs: number, open: boolean): void {
    const { pins, pin, bounce = REED_BOUNCE, random } = this.#options;
    this.moves.push({ atMs, open });
    switchWithBounce(pins, pin, open ? 1 : 0, atMs, bounce, random);
  }
}
