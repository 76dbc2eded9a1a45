/**
 * The installer's site check: the radio as the modem last saw it, then one test transmission
 * through the uplink, reported when the uplink says how it went (or when it takes too long).
 */
import type { SiteCheckResult } from "../ble/installer-status.js";
import type { Timers } from "../platform/clock.js";
import type { TransmissionEvent } from "../uplink/uplink-agent.js";
import type { RadioSignal } from "../ble/installer-status.js";

/** Longer than an uplink session may last (2 minutes). */
export const SITE_CHECK_TIMEOUT_MS = 150_000;

export class SiteCheck {
  #waiting: Array<(event: TransmissionEvent | undefined) => void> = [];

  constructor(
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly radio: () => RadioSignal,
    /** Starts a transmission at once; undefined when the logger cannot transmit (not provisioned). */
    private readonly transmitNow: ((reason: string) => void) | undefined,
  ) {}

  /** The uplink's report of every transmission; the first after a check started ends it. */
  onTransmission(event: TransmissionEvent): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const finish of waiting) finish(event);
  }

  run(done: (result: SiteCheckResult) => void): void {
    const radios = [this.radio()];
    const transmitNow = this.transmitNow;
    if (!transmitNow) {
      done({ radios, testTransmission: { result: "failed", durationMs: 0 } });
      return;
    }
    const started = this.now();
    let finished = false;
    const finish = (event: TransmissionEvent | undefined) => {
      if (finished) return;
      finished = true;
      this.timers.clear(timeout);
      this.#waiting = this.#waiting.filter((waiter) => waiter !== finish);
      done({ radios: [this.radio()], testTransmission: { result: event?.ok ? "ok" : "failed", durationMs: this.now() - started } });
    };
    const timeout = this.timers.set(() => finish(undefined), SITE_CHECK_TIMEOUT_MS);
    this.#waiting.push(finish);
    transmitNow("site check");
  }
}
