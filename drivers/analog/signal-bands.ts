/**
 * Which band an electrical signal is in: a valid measurement, saturated at the edge of the range,
 * or a sensor fault that must never be logged as a number.
 *
 * Current loops follow NAMUR NE 43: 3.8-20.5 mA carries a measurement (3.8-4 and 20-20.5 mA
 * saturated), at or below 3.6 mA or at or above 21 mA the transmitter signals a failure (a broken
 * loop reads about 0 mA). NE 43 leaves 3.6-3.8 and 20.5-21 mA undefined; they are logged as
 * saturated values, still outside the measuring range, so never mistaken for good ones.
 */
import type { VoltageSignal } from "../../modules/config/channels.js";
import { SensorFault } from "../../modules/records/sample.js";

export const NE43 = Object.freeze({
  failureLowMa: 3.6,
  measureLowMa: 3.8,
  rangeLowMa: 4,
  rangeHighMa: 20,
  measureHighMa: 20.5,
  failureHighMa: 21,
});

export interface SignalBand {
  /** 0 for a measurement, else the SensorFault code. */
  fault: number;
  saturated: boolean;
}

export function loopCurrentBand(milliamps: number): SignalBand {
  if (milliamps <= NE43.failureLowMa) return { fault: SensorFault.Underrange, saturated: false };
  if (milliamps >= NE43.failureHighMa) return { fault: SensorFault.Overrange, saturated: false };
  return { fault: 0, saturated: milliamps < NE43.rangeLowMa || milliamps > NE43.rangeHighMa };
}

/**
 * A voltage input can only see a broken wire when the sensor has a live zero (2-10 V) or the input
 * is biased: then the open input reads below `faultBelowVolts`. A plain 0-10 V sensor's 0 V is valid.
 */
export function voltageBand(volts: number, signal: VoltageSignal): SignalBand {
  if (volts < signal.faultBelowVolts) return { fault: SensorFault.Underrange, saturated: false };
  if (volts > signal.faultAboveVolts) return { fault: SensorFault.Overrange, saturated: false };
  return { fault: 0, saturated: volts < signal.lowVolts || volts > signal.highVolts };
}
