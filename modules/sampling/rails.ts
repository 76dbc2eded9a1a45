/**
 * Switched sensor power rails, shared: a rail is switched on when the first channel that needs it
 * asks, and off when the last one is done, so channels read together power their rail once.
 */
import type { RailConfig } from "../config/channels.js";
import type { Clock } from "../platform/clock.js";
import type { DigitalClass } from "../platform/io.js";
import { SwitchedOutput } from "../../drivers/digital/switched-output.js";

interface Rail {
  output: SwitchedOutput;
  holders: number;
  /** Monotonic time it was switched on. */
  onSince: number;
}

export class PowerRails {
  readonly #rails = new Map<string, Rail>();
  readonly #clock: Clock;

  constructor(Digital: DigitalClass, clock: Clock, rails: readonly RailConfig[]) {
    this.#clock = clock;
    for (const rail of rails) {
      this.#rails.set(rail.name, { output: new SwitchedOutput(Digital, rail.pin, rail.activeLow), holders: 0, onSince: 0 });
    }
  }

  acquire(name: string): void {
    const rail = this.#rail(name);
    if (rail.holders++ === 0) {
      rail.output.set(true);
      rail.onSince = this.#clock.monotonic();
    }
  }

  release(name: string): void {
    const rail = this.#rail(name);
    if (rail.holders === 0) throw new Error(`rail "${name}" released more often than acquired`);
    if (--rail.holders === 0) rail.output.set(false);
  }

  /** How long the rail has been on; 0 when it is off. */
  onForMs(name: string): number {
    const rail = this.#rail(name);
    return rail.holders ? this.#clock.monotonic() - rail.onSince : 0;
  }

  close(): void {
    for (const rail of this.#rails.values()) rail.output.close();
    this.#rails.clear();
  }

  #rail(name: string): Rail {
    const rail = this.#rails.get(name);
    if (!rail) throw new Error(`no rail "${name}"`);
    return rail;
  }
}
