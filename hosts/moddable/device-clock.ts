/**
 * The platform's Clock over Moddable's `time` module and `Date`.
 *
 * - Monotonic time comes from `Time.ticks`, a millisecond counter that wraps at 2^32 (it may
 *   read negative once it passes 2^31), extended here so that it never goes backwards. It only
 *   has to be read once every 49 days, which the health timer guarantees.
 * - Wall time is `Date.now()`. `Time.set` takes whole seconds, so the millisecond part of the last
 *   `setTime` is kept as an offset.
 * - After a reset the RTC may still hold a good time (ESP32 keeps it across deep sleep and
 *   software resets; nRF52 restores it from retained RAM). A wall clock that reads after
 *   PLAUSIBLE_EPOCH_MS is trusted as "rtc", anything earlier is "unset".
 */
import type { Clock, TimeQuality } from "../../modules/platform/clock.js";

/** 2025-01-01T00:00:00Z: no logger of this firmware ran before it. */
export const PLAUSIBLE_EPOCH_MS = 1735689600000;

export interface TimeSource {
  /** Moddable `Time.ticks`: milliseconds, wrapping at 2^32. */
  ticks(): number;
  /** `Date.now()`. */
  wallMs(): number;
  /** Moddable `Time.set(seconds)`. */
  setWallSeconds(seconds: number): void;
}

export function qualityAtBoot(wallMs: number): TimeQuality {
  return wallMs >= PLAUSIBLE_EPOCH_MS ? "rtc" : "unset";
}

export class DeviceClock implements Clock {
  readonly #source: TimeSource;
  #quality: TimeQuality;
  #lastTicks: number;
  #monotonic = 0;
  #subSecondMs = 0;

  constructor(source: TimeSource) {
    this.#source = source;
    this.#lastTicks = source.ticks();
    this.#quality = qualityAtBoot(source.wallMs());
  }

  get quality(): TimeQuality {
    return this.#quality;
  }

  monotonic(): number {
    const ticks = this.#source.ticks();
    this.#monotonic += (ticks - this.#lastTicks) >>> 0;
    this.#lastTicks = ticks;
    return this.#monotonic;
  }

  now(): number {
    return this.#source.wallMs() + this.#subSecondMs;
  }

  setTime(epochMs: number, quality: TimeQuality): void {
    if (!Number.isFinite(epochMs) || epochMs < PLAUSIBLE_EPOCH_MS) throw new RangeError(`refusing to set the clock to ${epochMs}`);
    const seconds = Math.floor(epochMs / 1000);
    this.#source.setWallSeconds(seconds);
    this.#subSecondMs = epochMs - seconds * 1000;
    this.#quality = quality;
  }
}
