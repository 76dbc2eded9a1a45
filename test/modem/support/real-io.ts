/**
 * Driving a simulated world that talks to real sockets: virtual time advances in small steps,
 * yielding to Node's event loop after each, and waits while the simulation holds time for real
 * I/O, so that messages from the real world land close to when they happen in virtual time.
 */
import { setImmediate as yieldToNode, setTimeout as sleep } from "node:timers/promises";
import type { Scheduler } from "../../../hosts/sim/scheduler.js";

export async function runUntilReal(scheduler: Scheduler, done: () => boolean, limitMs: number, stepMs = 20): Promise<boolean> {
  const end = scheduler.now + limitMs;
  while (!done()) {
    if (scheduler.now >= end) return false;
    if (scheduler.held) {
      await sleep(1);
      continue;
    }
    scheduler.runUntil(Math.min(end, scheduler.now + stepMs));
    await yieldToNode();
  }
  return true;
}
