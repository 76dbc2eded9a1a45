import assert from "node:assert/strict";
import { Scheduler } from "../../hosts/sim/scheduler.js";

describe("virtual-time scheduler", () => {
  it("runs events in time order, ties in insertion order", () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    scheduler.after(20, () => order.push("c"));
    scheduler.after(10, () => order.push("a"));
    scheduler.after(10, () => order.push("b"));
    scheduler.runFor(100);
    assert.deepEqual(order, ["a", "b", "c"]);
    assert.equal(scheduler.now, 100);
  });

  it("stops at the requested time and leaves later events pending", () => {
    const scheduler = new Scheduler();
    let fired = 0;
    scheduler.after(50, () => fired++);
    scheduler.after(150, () => fired++);
    scheduler.runUntil(100);
    assert.equal(fired, 1);
    assert.equal(scheduler.nextTime(), 150);
  });

  it("skips cancelled events and handles events scheduled from events", () => {
    const scheduler = new Scheduler();
    const seen: number[] = [];
    const cancelled = scheduler.after(5, () => seen.push(-1));
    scheduler.cancel(cancelled);
    scheduler.after(1, () => scheduler.after(1, () => seen.push(scheduler.now)));
    scheduler.runFor(10);
    assert.deepEqual(seen, [2]);
  });

  it("simulates a month of minute ticks quickly and exactly", () => {
    const scheduler = new Scheduler();
    let ticks = 0;
    const tick = () => { ticks++; scheduler.after(60_000, tick); };
    scheduler.after(60_000, tick);
    scheduler.runFor(30 * 86_400_000);
    assert.equal(ticks, 30 * 1440);
  });
});
