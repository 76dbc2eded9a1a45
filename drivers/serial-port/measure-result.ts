/**
 * What a serial sensor driver hands the sampling engine: values, or a fault with its
 * SensorFault code. Bad bytes never become a value; they become a fault sample and a counter.
 */
import type { HealthCounters } from "../../modules/health/counters.js";
import { SampleFlag, SensorFault, type Sample } from "../../modules/records/sample.js";

export type SensorFaultCode = (typeof SensorFault)[keyof typeof SensorFault];

/**
 * Success with a value, or a fault with its code and a sentence for the console; `code` is the
 * device's own error code when it sent one (a Modbus exception code).
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; fault: SensorFaultCode; detail: string; code?: number };

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

/**
 * The fault of an operation that got no usable answer after all its tries: a bad response if
 * anything invalid came back, a bus fault if only line errors did (a line held in a break),
 * otherwise a timeout.
 */
export function unanswered<T>(what: string, tries: number, lastInvalid: string | undefined, lineErrors: number): Outcome<T> {
  if (lastInvalid !== undefined) return failure(SensorFault.BadResponse, `${what}: ${lastInvalid} (${tries} tries)`);
  if (lineErrors > 0) return failure(SensorFault.BusFault, `${what}: line held or noisy, no answer (${tries} tries)`);
  return failure(SensorFault.Timeout, `${what}: no answer (${tries} tries)`);
}

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
