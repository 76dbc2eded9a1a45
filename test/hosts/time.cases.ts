/**
 * The boards' Clock over Moddable's `Time`/`Date`, the Timers adapter over Moddable's `Timer`
 * (simulated on the virtual-time scheduler), and nRF52's restart mark in retained RAM.
 */
import { DeviceClock, PLAUSIBLE_EPOCH_MS, qualityAtBoot, type TimeSource } from "../../hosts/moddable/device-clock.js";
import { TimerAdapter, type ModdableTimer } from "../../hosts/moddable/timer-adapter.js";
import { leaveRestartMark, takeRestartMark, type RetainedSlots } from "../../hosts/nrf52/retained-time.js";
import { Scheduler, type ScheduledEvent } from "../../hosts/sim/scheduler.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";

/** Moddable's time module: `ticks` is a 32-bit millisecond counter that XS may show negative. */
class FakeTime implements TimeSource {
  rawTicks: number;
  wall: number;
  constructor(ticks: number, wall: number) {
    this.rawTicks = ticks;
    this.wall = wall;
  }
  ticks(): number {
    return this.rawTicks | 0;
  }
  wallMs(): number {
    return this.wall;
  }
  setWallSeconds(seconds: number): void {
    this.wall = seconds * 1000;
  }
  advance(ms: number): void {
    this.rawTicks = (this.rawTicks + ms) >>> 0;
    this.wall += ms;
  }
}

/** Moddable's Timer on the scheduler: a timer object per set, repeat, clear. */
function schedulerTimer(scheduler: Scheduler): ModdableTimer<{ event?: ScheduledEvent }> {
  return {
    set(callback, ms = 0, repeatMs) {
      const timer: { event?: ScheduledEvent } = {};
      const fire = (delay: number) => {
        timer.event = scheduler.after(delay, () => {
          if (repeatMs) fire(repeatMs);
          callback(timer);
        });
      };
      fire(ms);
      return timer;
    },
    clear(timer) {
      scheduler.cancel(timer?.event);
    },
  };
}

const JAN_2026 = Date.UTC(2026, 0, 1);

export const cases: TestCase[] = [
  {
    name: "monotonic time runs on across the 2^31 and 2^32 wraps of Time.ticks",
    run() {
      const time = new FakeTime(2 ** 31 - 100, JAN_2026);
      const clock = new DeviceClock(time);
      time.advance(200);
      equal(clock.monotonic(), 200);
      time.advance(2 ** 31 - 150);
      equal(clock.monotonic(), 2 ** 31 + 50);
      time.advance(1000);
      equal(clock.monotonic(), 2 ** 31 + 1050);
    },
  },
  {
    name: "setTime keeps milliseconds that Time.set cannot take, and refuses times before 2025",
    run() {
      const time = new FakeTime(0, 0);
      const clock = new DeviceClock(time);
      equal(clock.quality, "unset");
      clock.setTime(JAN_2026 + 1234, "server");
      equal(time.wall, JAN_2026 + 1000);
      equal(clock.now(), JAN_2026 + 1234);
      equal(clock.quality, "server");
      throws(() => clock.setTime(0, "network"), /refusing to set the clock/);
      equal(clock.quality, "server");
    },
  },
  {
    name: "a wall clock that survived the reset is trusted as rtc; 1970 is unset",
    run() {
      equal(qualityAtBoot(PLAUSIBLE_EPOCH_MS - 1), "unset");
      equal(qualityAtBoot(JAN_2026), "rtc");
      equal(new DeviceClock(new FakeTime(0, JAN_2026)).quality, "rtc");
    },
  },
  {
    name: "timers: one-shot, repeat and clear on Moddable's Timer, each with its own id",
    run() {
      const scheduler = new Scheduler();
      const timers = new TimerAdapter(schedulerTimer(scheduler), () => undefined);
      const fired: string[] = [];
      const once = timers.set(() => fired.push(`once@${scheduler.now}`), 10);
      const repeat = timers.repeat((handle) => {
        fired.push(`repeat@${scheduler.now}`);
        if (scheduler.now >= 30) timers.clear(handle);
      }, 15);
      const cancelled = timers.set(() => fired.push("cancelled"), 20);
      timers.clear(cancelled);
      timers.clear(undefined);
      scheduler.runFor(100);
      deepEqual(fired, ["once@10", "repeat@15", "repeat@30"]);
      ok(once.id !== repeat.id && repeat.id !== cancelled.id, "distinct ids");
      timers.clear(once);
    },
  },
  {
    name: "timers: an exception in a callback is reported and a repeating timer keeps running",
    run() {
      const scheduler = new Scheduler();
      const reported: unknown[] = [];
      const timers = new TimerAdapter(schedulerTimer(scheduler), (error) => reported.push(error));
      let ticks = 0;
      timers.repeat(() => {
        ticks++;
        throw new Error("bug");
      }, 10);
      scheduler.runFor(35);
      equal(ticks, 3);
      equal(reported.length, 3);
    },
  },
  {
    name: "nRF52 restart mark: taken once with the saved time, absent after any other reset",
    run() {
      const ram = new Int32Array(32);
      const slots: RetainedSlots = { get: (i) => ram[i], set: (i, v) => { ram[i] = v; } };
      equal(takeRestartMark(slots), undefined);
      const when = Date.UTC(2030, 5, 1, 12, 0, 0);
      leaveRestartMark(slots, when + 999);
      equal(takeRestartMark(slots), when / 1000);
      equal(takeRestartMark(slots), undefined);
      // Epoch seconds past 2^31 (year 2038) survive the int32 slot.
      leaveRestartMark(slots, 2 ** 31 * 1000 + 5000);
      equal(takeRestartMark(slots), 2 ** 31 + 5);
    },
  },
];
