/**
 * Drives virtual time from Node: as fast as the CPU allows ("max"), or paced against the wall
 * clock at a speed factor (1 = real time). Runs in slices so that Ctrl-C and sockets stay live.
 */
import type { Scheduler } from "../scheduler.js";

export type Speed = number | "max";

export interface PacedRun {
  stop(): void;
  readonly done: Promise<void>;
}

export function runPaced(scheduler: Scheduler, speed: Speed, untilMs = Infinity, sliceMs = 20): PacedRun {
  let stopped = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const startVirtual = scheduler.now;
  const startWall = performance.now();

  const tick = () => {
    if (stopped) return finish();
    if (scheduler.held) {
      setTimeout(tick, 1);
      return;
    }
    if (speed === "max") {
      const sliceEnd = performance.now() + sliceMs;
      while (performance.now() < sliceEnd && scheduler.now < untilMs && !scheduler.held) {
        const next = scheduler.nextTime();
        if (next === undefined || next > untilMs) {
          scheduler.runUntil(untilMs);
          break;
        }
        scheduler.runUntil(next);
      }
      if (scheduler.now >= untilMs) return finish();
      setImmediate(tick);
      return;
    }
    const target = Math.min(untilMs, startVirtual + (performance.now() - startWall) * speed);
    scheduler.runUntil(target);
    if (scheduler.now >= untilMs) return finish();
    setTimeout(tick, sliceMs);
  };
  setImmediate(tick);
  return {
    stop() {
      stopped = true;
    },
    done,
  };
}

/** Parses "500ms", "10s", "15m", "2h", "30d" into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: "${text}" (use e.g. 90s, 15m, 2h, 30d)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

export function parseSpeed(text: string): Speed {
  if (text === "max") return "max";
  const value = Number(text);
  if (!(value > 0) || !/^\d+(\.\d+)?$/.test(text)) throw new Error(`not a speed: "${text}" (use max or a factor such as 60)`);
  return value;
}

/**
 * For tests whose simulated world talks to real sockets: advances virtual time to `untilMs`,
 * yielding to Node's event loop whenever the simulation holds time for real I/O.
 */
export async function runWithRealIo(scheduler: Scheduler, untilMs: number): Promise<void> {
  while (scheduler.now < untilMs) {
    scheduler.runUntil(untilMs);
    if (scheduler.held) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
