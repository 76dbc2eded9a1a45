/**
 * A half-duplex bus carries one transaction at a time. Jobs wait in order; each gets a release
 * that hands the bus to the next job (calling it twice is harmless).
 */
export type BusJob = (release: () => void) => void;

export class BusQueue {
  #busy = false;
  readonly #waiting: BusJob[] = [];

  get busy(): boolean {
    return this.#busy;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  acquire(job: BusJob): void {
    this.#waiting.push(job);
    if (!this.#busy) this.#next();
  }

  /** Drops every job that has not started (the driver is closing). */
  clear(): void {
    this.#waiting.length = 0;
  }

  #next(): void {
    const job = this.#waiting.shift();
    if (!job) {
      this.#busy = false;
      return;
    }
    this.#busy = true;
    let released = false;
    job(() => {
      if (released) return;
      released = true;
      this.#next();
    });
  }
}
