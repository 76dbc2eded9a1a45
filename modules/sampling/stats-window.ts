/**
 * Statistics of an output over aligned windows (min, max, mean, last). A reading belongs to the
 * window that its slot ends or falls in; the window is reported when its last slot's reading
 * arrives, or, if that reading never comes (a missed slot, a clock step), when the first reading
 * of a later window does. A window with no valid reading reports its last fault instead of numbers.
 */
import type { StatsConfig } from "../config/channels.js";
import { statIds, type StatKind } from "../config/channels-outputs.js";
import { SampleFlag } from "../records/sample.js";
import { faultReading, type Reading } from "./reader.js";
import { windowEnd } from "./schedule.js";

export interface StatReading {
  id: number;
  /** Wall-clock end of the window. */
  time: number;
  reading: Reading;
}

interface Window {
  end: number;
  count: number;
  min: number;
  max: number;
  sum: number;
  last: number;
  saturated: boolean;
  fault: number;
}

export class StatsWindow {
  readonly #ids: ReadonlyArray<{ kind: StatKind; id: number }>;
  readonly #windowMs: number;
  readonly #offsetMs: number;
  #window: Window | undefined;

  constructor(stats: StatsConfig, offsetMs: number) {
    this.#ids = statIds(stats);
    this.#windowMs = stats.intervalS * 1000;
    this.#offsetMs = offsetMs;
  }

  /** Adds the reading of the slot at `slotMs`; returns the statistics of the windows this closes. */
  add(reading: Reading, slotMs: number): StatReading[] {
    const end = windowEnd(slotMs, this.#windowMs, this.#offsetMs);
    const closed: StatReading[] = [];
    if (this.#window && this.#window.end !== end) closed.push(...this.#report(this.#window));
    const window = this.#window && this.#window.end === end ? this.#window : newWindow(end);
    this.#window = window;
    if (reading.flags & SampleFlag.Fault) window.fault = reading.value;
    else {
      window.count++;
      window.min = Math.min(window.min, reading.value);
      window.max = Math.max(window.max, reading.value);
      window.sum += reading.value;
      window.last = reading.value;
      if (reading.flags & SampleFlag.Saturated) window.saturated = true;
    }
    if (slotMs === end) {
      closed.push(...this.#report(window));
      this.#window = undefined;
    }
    return closed;
  }

  #report(window: Window): StatReading[] {
    const flags = window.saturated ? SampleFlag.Saturated : 0;
    return this.#ids.map(({ kind, id }) => ({
      id,
      time: window.end,
      reading: window.count === 0 ? faultReading(window.fault) : { value: statValue(window, kind), flags },
    }));
  }
}

function newWindow(end: number): Window {
  return { end, count: 0, min: Infinity, max: -Infinity, sum: 0, last: 0, saturated: false, fault: 0 };
}

function statValue(window: Window, kind: StatKind): number {
  switch (kind) {
    case "min": return window.min;
    case "max": return window.max;
    case "mean": return window.sum / window.count;
    case "last": return window.last;
  }
}
