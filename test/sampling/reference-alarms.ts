/**
 * A test oracle: the alarm changes a channel should log, worked out from the sources' true values
 * at each slot, written independently of modules/sampling/alarms.ts. It also refuses a scenario in
 * which a true value sits so close to a decision boundary that noise could decide either way.
 */
import type { ThresholdConfig } from "../../modules/config/channels.js";
import { AssertionError } from "../support/assert.js";

export type TruePoint = { t: number; value: number } | { t: number; fault: true };

/** Changes as "t+kind" / "t-kind", in the order the engine reports them within one slot. */
export function expectedAlarmChanges(points: readonly TruePoint[], thresholds: ThresholdConfig, margin: number): string[] {
  const { high, low, deadband, rateOfChange } = thresholds;
  const on = { high: false, low: false, rate: false, fault: false };
  const changes: string[] = [];
  let previous: { t: number; value: number } | undefined;
  const near = (value: number, boundaries: number[], what: string, t: number) => {
    for (const b of boundaries) if (Math.abs(value - b) < margin) throw new AssertionError(`ambiguous scenario: ${what} ${value} near ${b} at ${t}`);
  };
  for (const point of points) {
    const next = { ...on };
    if ("fault" in point) next.fault = true;
    else {
      const v = point.value;
      next.fault = false;
      if (high !== undefined) {
        near(v, [high, high - deadband], "level", point.t);
        next.high = on.high ? v > high - deadband : v > high;
      }
      if (low !== undefined) {
        near(v, [low, low + deadband], "level", point.t);
        next.low = on.low ? v < low + deadband : v < low;
      }
      if (rateOfChange && previous) {
        const rate = (Math.abs(v - previous.value) * rateOfChange.perSeconds * 1000) / (point.t - previous.t);
        near(rate, [rateOfChange.limit, rateOfChange.limit - rateOfChange.deadband], "rate", point.t);
        next.rate = on.rate ? rate > rateOfChange.limit - rateOfChange.deadband : rate > rateOfChange.limit;
      }
      previous = { t: point.t, value: v };
    }
    for (const kind of ["high", "low", "rate", "fault"] as const) {
      if (next[kind] !== on[kind]) changes.push(`${point.t}${next[kind] ? "+" : "-"}${kind}`);
    }
    Object.assign(on, next);
  }
  return changes;
}
