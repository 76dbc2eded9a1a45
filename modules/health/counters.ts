/**
 * Named fault and event counters that every subsystem bumps and that health, the console and
 * the uplink report. Kept in RAM; subsystems that must survive a reset persist their own.
 */
export class HealthCounters {
  readonly #values = new Map<string, number>();

  increment(name: string, by = 1): void {
    this.#values.set(name, (this.#values.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.#values.get(name) ?? 0;
  }

  /** Sorted by name so that reports are stable. */
  snapshot(): Array<[string, number]> {
    return [...this.#values.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
