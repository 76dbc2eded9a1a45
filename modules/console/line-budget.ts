/**
 * A token bucket for input lines: a technician typing or pasting a few lines is never slowed,
 * a flood (a stuck key, a runaway script, a hostile host) costs the logger a bounded amount of
 * work per second whatever the line rate.
 */
export const LINE_BURST = 10;
export const LINES_PER_SECOND = 5;

export class LineBudget {
  #tokens: number;
  #lastMs: number;

  constructor(readonly now: () => number, readonly burst = LINE_BURST, readonly perSecond = LINES_PER_SECOND) {
    this.#tokens = burst;
    this.#lastMs = now();
  }

  /** Takes one line's worth; false means there is none left for now. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until take() can succeed; 0 when it can now. */
  wait(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 1000) / this.perSecond);
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#lastMs) * this.perSecond) / 1000);
    this.#lastMs = now;
  }
}
