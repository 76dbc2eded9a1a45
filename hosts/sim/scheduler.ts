/**
 * Virtual time: an event queue ordered by (time, insertion order). Nothing here reads the host's
 * clock, so the same events always run in the same order; a host adapter (node/realtime.ts)
 * paces it against the wall clock for interactive use.
 */

export interface ScheduledEvent {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

export class Scheduler {
  #now = 0;
  #seq = 0;
  #heap: ScheduledEvent[] = [];
  #executed = 0;
  #holds = new Set<string>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  /** Virtual milliseconds since the scheduler's origin. */
  get now(): number {
    return this.#now;
  }

  get executed(): number {
    return this.#executed;
  }

  get pending(): number {
    return this.#heap.length;
  }

  /**
   * Stops virtual time from advancing while something outside the simulation (a real TLS
   * socket, a real broker) is working; returns the release. Virtual time then waits for the
   * real world instead of running past it, which is what keeps max-speed runs faithful.
   */
  hold(reason: string): () => void {
    const token = `${reason}#${this.#seq++}`;
    this.#holds.add(token);
    return () => { this.#holds.delete(token); };
  }

  get held(): boolean {
    return this.#holds.size > 0;
  }

  /** What is holding time, for diagnostics. */
  holdReasons(): string[] {
    return [...this.#holds];
  }

  at(time: number, run: () => void): ScheduledEvent {
    const event: ScheduledEvent = { at: Math.max(time, this.#now), seq: this.#seq++, run, cancelled: false };
    this.#push(event);
    return event;
  }

  after(delayMs: number, run: () => void): ScheduledEvent {
    return this.at(this.#now + Math.max(0, delayMs), run);
  }

  cancel(event: ScheduledEvent | undefined): void {
    if (event) event.cancelled = true;
  }

  /** Time of the next live event, or undefined when the queue is empty. */
  nextTime(): number | undefined {
    this.#dropCancelled();
    return this.#heap.length ? this.#heap[0].at : undefined;
  }

  /**
   * Runs every event due at or before `time`, then leaves the clock at `time`; returns early,
   * with the clock where it stopped, when something holds time (see hold()).
   */
  runUntil(time: number): void {
    for (;;) {
      if (this.#holds.size) return;
      this.#dropCancelled();
      const next = this.#heap[0];
      if (!next || next.at > time) break;
      this.#pop();
      this.#now = next.at;
      this.#executed++;
      next.run();
    }
    if (time > this.#now) this.#now = time;
  }

  runFor(spanMs: number): void {
    this.runUntil(this.#now + spanMs);
  }

  /** Runs the next event only; returns false when there is none. */
  step(): boolean {
    this.#dropCancelled();
    const next = this.#heap[0];
    if (!next) return false;
    this.#pop();
    this.#now = next.at;
    this.#executed++;
    next.run();
    return true;
  }

  #dropCancelled(): void {
    while (this.#heap.length && this.#heap[0].cancelled) this.#pop();
  }

  #before(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(event: ScheduledEvent): void {
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (!heap.length) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && this.#before(heap[left], heap[least])) least = left;
      if (right < heap.length && this.#before(heap[right], heap[least])) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least], heap[i]];
      i = least;
    }
  }
}
