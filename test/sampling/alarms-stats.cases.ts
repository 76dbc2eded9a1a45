/** Alarm hysteresis, rate of change, digital state and faults; statistics windows; slot grid. */
import type { StatsConfig } from "../../modules/config/channels.js";
import { SampleFlag, SensorFault } from "../../modules/records/sample.js";
import { alarmKey, decodeAlarmState, encodeAlarmState } from "../../modules/sampling/alarm-record.js";
import { ALARM_BITS, alarmFlags, AlarmMonitor, type AlarmRules } from "../../modules/sampling/alarms.js";
import { faultReading, type Reading } from "../../modules/sampling/reader.js";
import { nextSlot, windowEnd } from "../../modules/sampling/schedule.js";
import { StatsWindow } from "../../modules/sampling/stats-window.js";
import { deepEqual, equal } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

const value = (v: number): Reading => ({ value: v, flags: 0 });

/** Feeds readings one minute apart; returns the changes each produced, as "+kind" / "-kind". */
function changesOf(rules: AlarmRules, readings: readonly Reading[]): string[][] {
  const monitor = new AlarmMonitor(rules, 0);
  return readings.map((reading, i) => monitor.update(reading, i * 60_000).map((c) => `${c.raised ? "+" : "-"}${c.kind}`));
}

export const cases: TestCase[] = [
  {
    name: "high and low levels raise once and clear only past the deadband",
    run() {
      const rules: AlarmRules = { thresholds: { high: 10, low: 2, deadband: 1 } };
      deepEqual(changesOf(rules, [5, 10, 10.5, 9.5, 9, 1.9, 2.9, 3].map(value)),
        [[], [], ["+high"], [], ["-high"], ["+low"], [], ["-low"]]);
      deepEqual(changesOf(rules, [1, 12].map(value)), [["+low"], ["+high", "-low"]], "a jump from low to high");
    },
  },
  {
    name: "rate of change between readings, with its own deadband",
    run() {
      const rules: AlarmRules = { thresholds: { deadband: 0, rateOfChange: { limit: 1, perSeconds: 60, deadband: 0.2 } } };
      deepEqual(changesOf(rules, [0, 0.5, 2, 2.9, 3.6, 2].map(value)), [[], [], ["+rate"], [], ["-rate"], ["+rate"]]);
    },
  },
  {
    name: "digital state alarms, and faults that keep the level alarms as they were",
    run() {
      deepEqual(changesOf({ alarmState: 1 }, [0, 1, 1, 0].map(value)), [[], ["+state"], [], ["-state"]]);
      const fault = faultReading(SensorFault.Underrange);
      deepEqual(changesOf({ thresholds: { high: 10, deadband: 0 } }, [value(11), fault, fault, value(11), value(5)]),
        [["+high"], ["+fault"], [], ["-fault"], ["-high"]]);
      equal(alarmFlags([{ kind: "low", raised: false }, { kind: "high", raised: true }]), SampleFlag.AlarmRaised | SampleFlag.AlarmCleared);
    },
  },
  {
    name: "an alarm state restored after a reset is not raised again",
    run() {
      const monitor = new AlarmMonitor({ thresholds: { high: 10, deadband: 0 } }, 1);
      deepEqual(monitor.update(value(12), 0), []);
      deepEqual(monitor.update(value(8), 60_000), [{ kind: "high", raised: false }]);
      equal(monitor.active, 0);
    },
  },
  {
    name: "saved alarm state: the worked example of docs/configuration.md",
    run() {
      equal(alarmKey(1), "al.1");
      deepEqual(encodeAlarmState(ALARM_BITS.high | ALARM_BITS.fault), Uint8Array.of(0x11));
      equal(decodeAlarmState(Uint8Array.of(0x11)), 0x11);
      equal(decodeAlarmState(Uint8Array.of(0x20)), undefined, "an unknown bit");
      equal(decodeAlarmState(Uint8Array.of(1, 0)), undefined, "two bytes");
    },
  },
  {
    name: "statistics close on the window's last slot, or on the first slot of a later window",
    run() {
      const stats: StatsConfig = { intervalS: 300, min: 1, max: 2, mean: 3, last: 4, keepSamples: false };
      const window = new StatsWindow(stats, 0);
      const results: string[] = [];
      const add = (reading: Reading, slotS: number) => {
        for (const s of window.add(reading, slotS * 1000)) results.push(`${s.id}@${s.time / 1000}=${s.reading.value}/${s.reading.flags}`);
      };
      add(value(5), 60);
      add({ value: 9, flags: SampleFlag.Saturated }, 120);
      add(faultReading(SensorFault.Timeout), 180);
      add(value(1), 240);
      add(value(3), 300);
      deepEqual(results, ["1@300=1/2", "2@300=9/2", "3@300=4.5/2", "4@300=3/2"]);
      results.length = 0;
      add(value(7), 360);
      add(value(8), 720);
      deepEqual(results, ["1@600=7/0", "2@600=7/0", "3@600=7/0", "4@600=7/0"], "slot 600 never came");
      results.length = 0;
      add(faultReading(SensorFault.Underrange), 900);
      deepEqual(results, ["1@900=8/0", "2@900=8/0", "3@900=8/0", "4@900=8/0"], "8 at 720 and a fault at 900");
      results.length = 0;
      add(faultReading(SensorFault.Underrange), 1200);
      deepEqual(results, ["1@1200=3/1", "2@1200=3/1", "3@1200=3/1", "4@1200=3/1"], "a window of faults reports the fault");
    },
  },
  {
    name: "slots sit on a wall-clock grid with an offset",
    run() {
      equal(nextSlot(0, 60_000, 0), 60_000);
      equal(nextSlot(60_000, 60_000, 0), 120_000, "strictly after");
      equal(nextSlot(59_999, 60_000, 10_000), 70_000);
      equal(nextSlot(5_000, 60_000, 10_000), 10_000);
      equal(windowEnd(900_000, 900_000, 0), 900_000, "a slot on a boundary ends its window");
      equal(windowEnd(960_000, 900_000, 0), 1_800_000);
      equal(windowEnd(10_000, 900_000, 10_000), 10_000);
    },
  },
];
