/**
 * Pulses from the board's pulse counter unit (ESP32 PCNT through `embedded:io/pulsecount`). The
 * unit holds only -32768..32767; Moddable's `read()` moves the unit's count into a JavaScript total
 * and clears it, so the unit must be read before 32768 pulses pile up or they are lost. The
 * source drains it on a timer sized from the fastest rate the input can see, with a factor of two
 * to spare. Pulses narrower than `filterNs` are dropped by the unit's glitch filter.
 */
import type { TimerHandle, Timers } from "../../modules/platform/clock.js";
import type { PulseCountClass, PulseCountIO } from "../../modules/platform/io.js";
import type { PulseSource } from "./pulse-source.js";

/** Pulses the hardware unit can hold before it wraps. */
export const HARDWARE_UNIT_CAPACITY = 32_768;
const LONGEST_DRAIN_MS = 60_000;

/** How often a unit must be drained at `maxHz` so that it never holds more than half its capacity. */
export function drainIntervalMs(maxHz: number): number {
  return Math.max(1, Math.min(LONGEST_DRAIN_MS, Math.floor(((HARDWARE_UNIT_CAPACITY / 2) * 1000) / maxHz)));
}

export interface HardwarePulseOptions {
  pin: number;
  filterNs: number;
  maxHz: number;
}

export class HardwarePulseSource implements PulseSource {
  readonly #io: PulseCountIO;
  readonly #timers: Timers;
  readonly #drain: TimerHandle;

  constructor(PulseCount: PulseCountClass, timers: Timers, options: HardwarePulseOptions) {
    this.#io = new PulseCount({ signal: options.pin, filter: options.filterNs });
    this.#timers = timers;
    this.#drain = timers.repeat(() => this.#io.read(), drainIntervalMs(options.maxHz));
  }

  count(): number {
    return this.#io.read();
  }

  close(): void {
    this.#timers.clear(this.#drain);
    this.#io.close();
  }
}
