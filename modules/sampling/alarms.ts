/**
 * Alarm state of one output: high and low levels with a deadband, rate of change, the state of
 * a digital input, and sensor faults. Each kind is raised once when its condition starts and
 * cleared once when it ends; a fault reading says nothing about the levels, so it leaves them as
 * they were.
 */
import type { ThresholdConfig } from "../config/channels.js";
import { SampleFlag } from "../records/sample.js";
import type { Reading } from "./reader.js";

export type AlarmKind = "high" | "low" | "rate" | "state" | "fault";

/** Bits of the saved alarm state (docs/configuration.md, "Saved state"). */
export const ALARM_BITS: Readonly<Record<AlarmKind, number>> = Object.freeze({ high: 1, low: 2, rate: 4, state: 8, fault: 16 });
const KINDS: readonly AlarmKind[] = ["high", "low", "rate", "state", "fault"];

export interface AlarmChange {
  kind: AlarmKind;
  raised: boolean;
}

export interface AlarmRules {
  thresholds?: ThresholdConfig;
  /** Digital inputs: the state that raises the alarm. */
  alarmState?: 0 | 1;
}

export class AlarmMonitor {
  readonly #rules: AlarmRules;
  #active: number;
  #previous: { value: number; atMs: number } | undefined;

  constructor(rules: AlarmRules, active: number) {
    this.#rules = rules;
    this.#active = active;
  }

  /** Bit set of ALARM_BITS that are raised now. */
  get active(): number {
    return this.#active;
  }

  /** Updates the state with a reading taken at monotonic `atMs`; returns what changed. */
  update(reading: Reading, atMs: number): AlarmChange[] {
    const wanted = this.#wanted(reading, atMs);
    const changes: AlarmChange[] = [];
    for (const kind of KINDS) {
      const bit = ALARM_BITS[kind];
      if ((wanted & bit) !== (this.#active & bit)) changes.push({ kind, raised: (wanted & bit) !== 0 });
    }
    this.#active = wanted;
    return changes;
  }

  #wanted(reading: Reading, atMs: number): number {
    if (reading.flags & SampleFlag.Fault) return this.#active | ALARM_BITS.fault;
    const value = reading.value;
    let wanted = 0;
    const { thresholds, alarmState } = this.#rules;
    if (alarmState !== undefined && value === alarmState) wanted |= ALARM_BITS.state;
    if (thresholds) {
      const { high, low, deadband, rateOfChange } = thresholds;
      if (high !== undefined && this.#holds("high", value > high, value > high - deadband)) wanted |= ALARM_BITS.high;
      if (low !== undefined && this.#holds("low", value < low, value < low + deadband)) wanted |= ALARM_BITS.low;
      if (rateOfChange) {
        const previous = this.#previous;
        const elapsedMs = previous ? atMs - previous.atMs : 0;
        if (elapsedMs > 0) {
          const rate = (Math.abs(value - previous!.value) * rateOfChange.perSeconds * 1000) / elapsedMs;
          if (this.#holds("rate", rate > rateOfChange.limit, rate > rateOfChange.limit - rateOfChange.deadband)) {
            wanted |= ALARM_BITS.rate;
          }
        } else if (this.#active & ALARM_BITS.rate) wanted |= ALARM_BITS.rate;
        this.#previous = { value, atMs };
      }
    }
    return wanted;
  }

  /** Hysteresis: an alarm starts on `raise` and, once raised, lasts while `stay` holds. */
  #holds(kind: AlarmKind, raise: boolean, stay: boolean): boolean {
    return this.#active & ALARM_BITS[kind] ? stay : raise;
  }
}

/** SampleFlag bits for a sample that carries these changes. */
export function alarmFlags(changes: readonly AlarmChange[]): number {
  let flags = 0;
  for (const change of changes) flags |= change.raised ? SampleFlag.AlarmRaised : SampleFlag.AlarmCleared;
  return flags;
}
