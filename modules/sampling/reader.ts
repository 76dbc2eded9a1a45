/**
 * What the sampling engine needs from a sensor driver. Analog, pulse and digital readers answer
 * at once; serial drivers (SDI-12, Modbus) answer seconds later, so reading is a callback.
 */
import type { HealthCounters } from "../health/counters.js";
import type { Platform } from "../platform/platform.js";
import { SampleFlag } from "../records/sample.js";

/** One value of a measurement: an engineering value, or a SensorFault code with SampleFlag.Fault. */
export interface Reading {
  value: number;
  /** SampleFlag.Fault and SampleFlag.Saturated only; the engine adds the rest. */
  flags: number;
}

export function faultReading(code: number): Reading {
  return { value: code, flags: SampleFlag.Fault };
}

export interface ChannelReader {
  /**
   * Takes one measurement and calls `done` exactly once, at once or later, with one reading per
   * output of the channel (channelOutputs order). A failed measurement is fault readings, not silence.
   */
  read(done: (readings: readonly Reading[]) => void): void;
  /** Releases the IO; called when sampling stops. */
  close(): void;
}

export interface ReaderContext {
  readonly platform: Platform;
  readonly counters: HealthCounters;
  /** Readings that happened on their own (a digital edge) at wall-clock `time`; logged at once. */
  event(readings: readonly Reading[], time: number): void;
}

export type ReaderFactory<Channel> = (channel: Channel, context: ReaderContext) => ChannelReader;
