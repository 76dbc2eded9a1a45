/** Virtual-time events per wall-clock second, and a simulated board day with its firmware. */
import { boot } from "../modules/main.js";
import { SimBoard } from "../hosts/sim/board.js";
import { Scheduler } from "../hosts/sim/scheduler.js";

export default async function scheduler(): Promise<Record<string, unknown>> {
  const events = 1_000_000;
  const queue = new Scheduler();
  let fired = 0;
  // 64 interleaved periodic sources, like many sensor channels and peers.
  for (let source = 0; source < 64; source++) {
    const period = 1000 + source * 37;
    const tick = () => { fired++; if (fired < events) queue.after(period, tick); };
    queue.after(period, tick);
  }
  const start = performance.now();
  while (fired < events && queue.step()) { /* drain */ }
  const seconds = (performance.now() - start) / 1000;

  const board = new SimBoard({ seed: 1 });
  board.start(boot);
  const dayStart = performance.now();
  board.scheduler.runFor(86_400_000);
  const daySeconds = (performance.now() - dayStart) / 1000;
  return {
    events: fired,
    eventsPerSecond: Math.round(fired / seconds),
    simulatedDayWallSeconds: Number(daySeconds.toFixed(4)),
    simulatedDayEvents: board.scheduler.executed,
  };
}
