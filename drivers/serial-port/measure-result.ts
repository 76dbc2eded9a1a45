/**
 * What a serial sensor driver hands the sampling engine: values, or a fault with its
 * SensorFault code. Bad bytes never become a value; they become a fault sample and a counter.
 */
import type { HealthCounters } from "../../modules/health/counters.js";
import { SampleFlag, SensorFault, type Sample } from "../../modules/records/sample.js";

export type SensorFaultCode = (typeof SensorFault)[keyof typeof SensorFault];

/** Success with a value, or a fault with its code and a sentence for the console. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; fault: SensorFaultCode; detail: string };

export type MeasureResult = Outcome<number[]>;
export type MeasureCallback = (result: MeasureResult) => void;

export function failure<T>(fault: SensorFaultCode, detail: string): Outcome<T> {
  return { ok: false, fault, detail };
}

const FAULT_NAMES: Record<SensorFaultCode, string> = {
  [SensorFault.Timeout]: "timeout",
  [SensorFault.BadResponse]: "bad_response",
  [SensorFault.Underrange]: "underrange",
  [SensorFault.Overrange]: "overrange",
  [SensorFault.SensorError]: "sensor_error",
  [SensorFault.BusFault]: "bus_fault",
};

export function faultName(fault: SensorFaultCode): string {
  return FAULT_NAMES[fault];
}

/** Counts a finished operation's fault as `<prefix>.fault.<name>`; successes count nothing. */
export function countOutcome(counters: HealthCounters, prefix: string, outcome: Outcome<unknown>): void {
  if (!outcome.ok) counters.increment(`${prefix}.fault.${faultName(outcome.fault)}`);
}

/**
 * The samples of one measurement: value i goes to channels[i]; a fault gives every channel a
 * fault sample carrying the code. `flags` carries the time quality bits.
 */
export function measurementSamples(result: MeasureResult, channels: readonly number[], time: number, flags: number): Sample[] {
  return channels.map((channel, i) => {
    if (!result.ok) return { channel, time, value: result.fault, flags: flags | SampleFlag.Fault };
    if (i >= result.value.length) return { channel, time, value: SensorFault.BadResponse, flags: flags | SampleFlag.Fault };
    return { channel, time, value: result.value[i], flags };
  });
}
