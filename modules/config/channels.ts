/**
 * Channel configuration as typed data: what the sampling engine reads, on which pins, how often,
 * and what counts as an alarm. `parseChannelSet` (channels-parse.ts) turns JSON into these types
 * with every default filled in; docs/configuration.md documents the JSON.
 */
import type { SerialPortName } from "../platform/io.js";

/** Limits of a channel's schedule: from every second to once a day. */
export const MIN_INTERVAL_S = 1;
export const MAX_INTERVAL_S = 86_400;

export interface RateOfChangeConfig {
  /** Alarm when |change| per `perSeconds` exceeds this. */
  limit: number;
  perSeconds: number;
  /** The rate must fall to `limit - deadband` before the alarm clears. */
  deadband: number;
}

export interface ThresholdConfig {
  /** Alarm when the value rises above `high`; clears at or below `high - deadband`. */
  high?: number;
  /** Alarm when the value falls below `low`; clears at or above `low + deadband`. */
  low?: number;
  deadband: number;
  rateOfChange?: RateOfChangeConfig;
}

/** Statistics over an interval, each logged under its own channel id. */
export interface StatsConfig {
  /** A multiple of the channel's interval; windows are aligned like the schedule. */
  intervalS: number;
  min?: number;
  max?: number;
  mean?: number;
  last?: number;
  /** Also log every sample under the channel's own id (by default only the statistics are). */
  keepSamples: boolean;
}

/** What any logged value may carry: alarms, statistics and a rounding. */
export interface OutputConfig {
  id: number;
  thresholds?: ThresholdConfig;
  stats?: StatsConfig;
  /** Values are rounded to this many decimals before they are logged. */
  decimals?: number;
}

interface ScheduledChannel {
  name: string;
  intervalS: number;
  /** Slots are at `k * intervalS + offsetS` seconds of wall-clock time. */
  offsetS: number;
  /** Name of the switched power rail the sensor hangs on. */
  rail?: string;
  /** How long the rail must have been on before the reading. */
  warmUpMs: number;
}

export interface CurrentSignal {
  type: "current";
  /** The loop current flows through this shunt to ground; the ADC reads its voltage. */
  shuntOhms: number;
}

export interface VoltageSignal {
  type: "voltage";
  /** Divider from the terminal to the ADC: Vadc = V × bottom / (top + bottom). */
  topOhms: number;
  bottomOhms: number;
  /** The sensor's output span; outside it the value is flagged saturated. */
  lowVolts: number;
  highVolts: number;
  /** Below this the input is taken as a broken wire (only detectable with a live zero). */
  faultBelowVolts: number;
  faultAboveVolts: number;
}

/** Signal (mA or V) to engineering value, piecewise linear through ascending signal points. */
export type CalibrationPoint = readonly [signal: number, value: number];

export interface AnalogChannelConfig extends ScheduledChannel, OutputConfig {
  kind: "analog";
  pin: number;
  signal: CurrentSignal | VoltageSignal;
  scale: readonly CalibrationPoint[];
  /** Readings averaged into one sample. */
  average: number;
  unit?: string;
}

export interface HardwareCounter {
  type: "hardware";
  /** The counter's glitch filter: pulses narrower than this are ignored. */
  filterNs: number;
  /** Highest pulse rate the input can see; sets how often the counter is drained. */
  maxHz: number;
}

export interface ContactCounter {
  type: "contact";
  /** A mechanical contact: each closure counts once after the contact has been steady this long. */
  debounceMs: number;
  activeLow: boolean;
  maxHz: number;
}

export interface PulseRateConfig extends OutputConfig {
  /** Rate per this many seconds; without it, the amount counted during the interval. */
  perSeconds?: number;
}

export interface PulseChannelConfig extends ScheduledChannel, OutputConfig {
  kind: "pulse";
  pin: number;
  counter: HardwareCounter | ContactCounter;
  /** Engineering units per pulse (mm per tip, litres per pulse). */
  kFactor: number;
  rate?: PulseRateConfig;
  /** The running total is saved this often: the most a power cut can lose. */
  persistIntervalS: number;
  unit?: string;
}

export interface DigitalChannelConfig extends ScheduledChannel {
  kind: "digital";
  id: number;
  pin: number;
  activeLow: boolean;
  debounceMs: number;
  /** Log each debounced change at once, besides the scheduled state samples. */
  logEdges: boolean;
  /** The state (after activeLow) that raises an alarm; leaving it clears the alarm. */
  alarmState?: 0 | 1;
}

export type SerialProtocol = "sdi12" | "modbus" | "ascii";

export interface SerialValueConfig extends OutputConfig {
  /** Position of the value in the sensor's answer, from 0. */
  index: number;
  name?: string;
  unit?: string;
}

/** A sensor on a serial bus; its driver reads `values` from one transaction. */
export interface SerialChannelConfig extends ScheduledChannel {
  kind: "serial";
  port: SerialPortName;
  protocol: SerialProtocol;
  /** SDI-12 address character, Modbus unit id, or whatever the protocol's driver takes. */
  address: string;
  command: string;
  timeoutMs: number;
  /** Protocol details the driver validates (register map, word order, baud). */
  options: Readonly<Record<string, string | number | boolean>>;
  values: readonly SerialValueConfig[];
}

export type ChannelConfig = AnalogChannelConfig | PulseChannelConfig | DigitalChannelConfig | SerialChannelConfig;

export interface RailConfig {
  name: string;
  pin: number;
  activeLow: boolean;
}

export interface ChannelSetConfig {
  /** What the ADC reads at its highest code. */
  adcFullScaleVolts: number;
  rails: readonly RailConfig[];
  channels: readonly ChannelConfig[];
}
