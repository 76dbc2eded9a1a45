/**
 * The technician's live trace: off at boot; while on, subsystems' trace events are printed as
 * they come, and every HEALTH_TRACE_MS the board's health and any fault counter that changed.
 */
import { formatHealth, readHealth } from "../health/health-report.js";
import type { Platform, TimerHandle } from "../platform/platform.js";
import { formatTraceEvent, type TraceEvent, type TraceSink } from "./trace-events.js";

export const HEALTH_TRACE_MS = 10_000;

export class LiveTrace implements TraceSink {
  #timer: TimerHandle | undefined;
  #lastCounters = new Map<string, number>();

  constructor(
    readonly platform: Platform,
    /** The fault counters now (StatusReport.counters). */
    readonly counters: () => ReadonlyArray<readonly [string, number]>,
    readonly print: (line: string) => void,
  ) {}

  get on(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    this.stop();
    this.#lastCounters = new Map();
    this.#timer = this.platform.timers.repeat(() => this.#health(), HEALTH_TRACE_MS);
    this.#health();
  }

  stop(): void {
    this.platform.timers.clear(this.#timer);
    this.#timer = undefined;
  }

  emit(event: TraceEvent): void {
    if (this.on) this.print(formatTraceEvent(event));
  }

  #health(): void {
    this.print(formatHealth(readHealth(this.platform)));
    for (const [counter, value] of this.counters()) {
      if (this.#lastCounters.get(counter) !== value) this.print(formatTraceEvent({ kind: "fault", counter, value }));
      this.#lastCounters.set(counter, value);
    }
  }
}
