/**
 * Time as the firmware sees it. The wall clock can be wrong until the network or the
 * server sets it, so every reading carries how much it can be trusted.
 */

/** How a wall-clock reading was obtained, from least to most trusted. */
export type TimeQuality = "unset" | "rtc" | "network" | "server";

export const TIME_QUALITIES: readonly TimeQuality[] = ["unset", "rtc", "network", "server"];

export interface Clock {
  /** Milliseconds since boot; never goes backwards, unaffected by setTime. */
  monotonic(): number;
  /** Wall-clock milliseconds since the Unix epoch (UTC). */
  now(): number;
  readonly quality: TimeQuality;
  /** Sets the wall clock; the monotonic clock is not affected. */
  setTime(epochMs: number, quality: TimeQuality): void;
}

/** An opaque handle, like the one Moddable's `Timer.set` returns. */
export interface TimerHandle {
  readonly id: number;
}

/** Shaped like Moddable's `timer` module: set / repeat / clear. */
export interface Timers {
  /** Calls back once after `ms`, then every `repeatMs` if given. */
  set(callback: (timer: TimerHandle) => void, ms?: number, repeatMs?: number): TimerHandle;
  repeat(callback: (timer: TimerHandle) => void, ms: number): TimerHandle;
  /** Accepts undefined so that callers can clear a timer they may not hold. */
  clear(timer: TimerHandle | undefined): void;
}
