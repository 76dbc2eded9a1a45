/**
 * A sample as every subsystem exchanges it: the sampling engine produces it, the log stores it,
 * the uplink carries it, the server lands it. How each one encodes it is its own format's business.
 */
import type { TimeQuality } from "../platform/clock.js";

export interface Sample {
  /** Channel id from the configuration, 0..65535. */
  channel: number;
  /** Wall-clock time of the measurement, ms since the epoch (as the logger's clock said). */
  time: number;
  /** Engineering value; for a faulted sample, the fault code (SensorFault). */
  value: number;
  /** Bit set of SampleFlag. */
  flags: number;
}

export const SampleFlag = Object.freeze({
  /** The sensor failed; `value` is a SensorFault code, not a measurement. */
  Fault: 0x01,
  /** The measurement is at the edge of the sensor's range (saturated / clipped). */
  Saturated: 0x02,
  /** Two bits of TimeQuality, see timeQualityFlags(). */
  TimeQualityMask: 0x0c,
  /** A threshold was crossed: the uplink treats the record as urgent. */
  AlarmRaised: 0x10,
  /** The channel returned to normal. */
  AlarmCleared: 0x20,
  /** Logged at once on an input event (digital edge), not on the schedule. */
  Event: 0x40,
});

/** Why a sample carries SampleFlag.Fault; the code is stored in `value`. */
export const SensorFault = Object.freeze({
  /** No answer, or the answer came too late. */
  Timeout: 1,
  /** Bytes that do not parse: bad CRC, parity, garbage, wrong address. */
  BadResponse: 2,
  /** Current loop below NE 43's fault limit, or voltage input wire break. */
  Underrange: 3,
  /** Current loop above NE 43's fault limit, or voltage input over range. */
  Overrange: 4,
  /** The sensor itself reported an error (e.g. a Modbus exception). */
  SensorError: 5,
  /** The bus could not be used (held low, in use). */
  BusFault: 6,
});

const QUALITY_CODES: Record<TimeQuality, number> = { unset: 0, rtc: 1, network: 2, server: 3 };
const QUALITY_NAMES: readonly TimeQuality[] = ["unset", "rtc", "network", "server"];

export function timeQualityFlags(quality: TimeQuality): number {
  return QUALITY_CODES[quality] << 2;
}

export function timeQualityOf(flags: number): TimeQuality {
  return QUALITY_NAMES[(flags & SampleFlag.TimeQualityMask) >> 2];
}

/** Where the sampling engine hands finished samples; the ring log is the real one. */
export interface SampleSink {
  /** Returns false when the sample could not be stored (e.g. log full under the stop policy). */
  append(sample: Sample): boolean;
}
