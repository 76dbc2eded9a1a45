/** Parsing of each kind of input channel; cross-channel checks are in channels-parse.ts. */
import type { PinMap } from "../platform/platform.js";
import type {
  AnalogChannelConfig, CalibrationPoint, ContactCounter, CurrentSignal, DigitalChannelConfig, HardwareCounter,
  PulseChannelConfig, PulseRateConfig, SerialChannelConfig, SerialValueConfig, VoltageSignal,
} from "./channels.js";
import { MAX_INTERVAL_S, MIN_INTERVAL_S } from "./channels.js";
import { Fields } from "./channels-fields.js";
import { CHANNEL_ID_RULE, parseOutput } from "./channels-parse-outputs.js";
import { serialTarget } from "../sampling/serial-target.js";

/** ESP32's PCNT glitch filter counts at most 1023 APB cycles (80 MHz): about 12.7 µs. */
export const MAX_HARDWARE_FILTER_NS = 12_700;
/** NE 43's highest valid loop current: the ADC must see it below full scale. */
const LOOP_HIGHEST_VALID_MA = 20.5;
/** Flash wear: totals are not saved more often than this. */
export const MIN_PERSIST_INTERVAL_S = 60;

export interface InputContext {
  pins: PinMap;
  adcFullScaleVolts: number;
}

type Schedule = Pick<AnalogChannelConfig, "name" | "intervalS" | "offsetS" | "rail" | "warmUpMs">;

/** Pulse and digital inputs watch their pin all the time, so they cannot hang on a switched rail. */
function parseSchedule(fields: Fields, watchesContinuously = false): Schedule {
  const name = fields.string("name");
  const intervalS = fields.number("intervalS", { min: MIN_INTERVAL_S, max: MAX_INTERVAL_S, integer: true });
  const offsetS = fields.number("offsetS", { min: 0, integer: true }, 0);
  if (offsetS >= intervalS && intervalS > 0) fields.problem("offsetS", `${offsetS} s must be less than the interval (${intervalS} s)`);
  const rail = fields.optionalString("rail");
  if (rail !== undefined && watchesContinuously) {
    fields.problem("rail", "this input watches its pin all the time and cannot hang on a switched rail");
  }
  const warmUpMs = fields.number("warmUpMs", { min: 0, integer: true }, 0);
  if (warmUpMs > 0 && rail === undefined) fields.problem("warmUpMs", "a warm-up needs a switched rail (set rail)");
  if (warmUpMs >= intervalS * 1000 && intervalS > 0) {
    fields.problem("warmUpMs", `${warmUpMs} ms does not fit in the ${intervalS} s interval`);
  }
  const schedule: Schedule = { name, intervalS, offsetS, warmUpMs };
  if (rail !== undefined) schedule.rail = rail;
  return schedule;
}

function parsePin(fields: Fields, allowed: readonly number[], what: string): number {
  const pin = fields.number("pin", { min: 0, integer: true });
  if (fields.has("pin") && !allowed.includes(pin)) {
    fields.problem("pin", `${pin} is not ${what} of this board (it has ${allowed.join(", ")})`);
  }
  return pin;
}

export function parseAnalog(fields: Fields, context: InputContext): AnalogChannelConfig {
  const schedule = parseSchedule(fields);
  const pin = parsePin(fields, context.pins.analog, "an analog input");
  const signalFields = fields.object("signal");
  if (!signalFields && !fields.has("signal")) fields.problem("signal", "required");
  const signal = signalFields ? parseSignal(signalFields, context.adcFullScaleVolts) : { type: "current" as const, shuntOhms: 150 };
  const range: readonly [number, number] = signal.type === "current" ? [4, 20] : [signal.lowVolts, signal.highVolts];
  const scaleFields = fields.object("scale");
  if (!scaleFields && !fields.has("scale")) fields.problem("scale", "required");
  const scale = scaleFields ? parseScale(scaleFields, range) : [];
  const config: AnalogChannelConfig = {
    kind: "analog", ...schedule, ...parseOutput(fields, schedule.intervalS), pin, signal, scale,
    average: fields.number("average", { min: 1, max: 64, integer: true }, 1),
  };
  const unit = fields.optionalString("unit");
  if (unit !== undefined) config.unit = unit;
  return config;
}

function parseSignal(fields: Fields, adcFullScaleVolts: number): CurrentSignal | VoltageSignal {
  const type = fields.oneOf("type", ["current", "voltage"] as const);
  if (type === "current") {
    const shuntOhms = fields.number("shuntOhms", { min: 0, aboveMin: true });
    const highestVolts = (LOOP_HIGHEST_VALID_MA / 1000) * shuntOhms;
    if (highestVolts >= adcFullScaleVolts) {
      fields.problem("shuntOhms", `${shuntOhms} Ω puts ${LOOP_HIGHEST_VALID_MA} mA at ${highestVolts.toFixed(2)} V, ` +
        `beyond the ADC's ${adcFullScaleVolts} V`);
    }
    fields.finish();
    return { type, shuntOhms };
  }
  const topOhms = fields.number("topOhms", { min: 0 });
  const bottomOhms = fields.number("bottomOhms", { min: 0, aboveMin: true });
  const lowVolts = fields.number("lowVolts", {}, 0);
  const highVolts = fields.number("highVolts", {}, 10);
  const faultBelowVolts = fields.number("faultBelowVolts", {}, -0.2);
  const faultAboveVolts = fields.number("faultAboveVolts", {}, 10.5);
  if (!(faultBelowVolts < lowVolts && lowVolts < highVolts && highVolts < faultAboveVolts)) {
    fields.problems.push(`${fields.path}: needs faultBelowVolts < lowVolts < highVolts < faultAboveVolts ` +
      `(${faultBelowVolts}, ${lowVolts}, ${highVolts}, ${faultAboveVolts})`);
  }
  const atAdc = (highVolts * bottomOhms) / (topOhms + bottomOhms);
  if (atAdc >= adcFullScaleVolts) {
    fields.problems.push(`${fields.path}: the divider puts ${highVolts} V at ${atAdc.toFixed(2)} V, beyond the ADC's ${adcFullScaleVolts} V`);
  }
  fields.finish();
  return { type, topOhms, bottomOhms, lowVolts, highVolts, faultBelowVolts, faultAboveVolts };
}

/** `{min, max}` (values at the ends of the signal range) or `{table: [[signal, value], ...]}`. */
function parseScale(fields: Fields, range: readonly [number, number]): CalibrationPoint[] {
  if (!fields.has("table")) {
    const min = fields.number("min", {});
    const max = fields.number("max", {});
    if (min === max) fields.problem("max", "must differ from min");
    fields.finish();
    return [[range[0], min], [range[1], max]];
  }
  const points: CalibrationPoint[] = [];
  for (const { value, path } of fields.array("table", true)) {
    const ok = Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === "number" && isFinite(n));
    if (!ok) {
      fields.problems.push(`${path}: expected [signal, value]`);
      continue;
    }
    const point: CalibrationPoint = [value[0] as number, value[1] as number];
    const previous = points[points.length - 1];
    if (previous && point[0] <= previous[0]) fields.problems.push(`${path}: signal ${point[0]} must be above ${previous[0]}`);
    points.push(point);
  }
  if (points.length < 2) fields.problem("table", "needs at least two points");
  fields.finish();
  return points;
}

export function parsePulse(fields: Fields, context: InputContext): PulseChannelConfig {
  const schedule = parseSchedule(fields, true);
  const counterFields = fields.object("counter");
  const counter = counterFields ? parseCounter(counterFields) : { type: "hardware" as const, filterNs: 1000, maxHz: 1000 };
  const pins = counter.type === "hardware" ? context.pins.pulse : [...context.pins.pulse, ...context.pins.digital];
  const pin = parsePin(fields, pins, counter.type === "hardware" ? "a pulse input" : "a pulse or digital input");
  const config: PulseChannelConfig = {
    kind: "pulse", ...schedule, ...parseOutput(fields, schedule.intervalS), pin, counter,
    kFactor: fields.number("kFactor", { min: 0, aboveMin: true }, 1),
    persistIntervalS: fields.number("persistIntervalS", { min: MIN_PERSIST_INTERVAL_S, max: MAX_INTERVAL_S, integer: true }, 300),
  };
  const rateFields = fields.object("rate");
  if (rateFields) config.rate = parseRate(rateFields, schedule.intervalS);
  const unit = fields.optionalString("unit");
  if (unit !== undefined) config.unit = unit;
  return config;
}

function parseCounter(fields: Fields): HardwareCounter | ContactCounter {
  const type = fields.oneOf("type", ["hardware", "contact"] as const);
  if (type === "hardware") {
    const filterNs = fields.number("filterNs", { min: 0, max: MAX_HARDWARE_FILTER_NS, integer: true }, 1000);
    const maxHz = fields.number("maxHz", { min: 0, aboveMin: true, max: 1_000_000 });
    if (maxHz > 0 && filterNs >= 1e9 / (2 * maxHz)) {
      fields.problem("filterNs", `${filterNs} ns would drop real pulses at ${maxHz} Hz (half period ${Math.floor(1e9 / (2 * maxHz))} ns)`);
    }
    fields.finish();
    return { type, filterNs, maxHz };
  }
  const debounceMs = fields.number("debounceMs", { min: 1, max: 1000, integer: true }, 20);
  const maxHz = fields.number("maxHz", { min: 0, aboveMin: true, max: 50 }, 5);
  if (debounceMs * 2 * maxHz >= 1000) {
    fields.problem("debounceMs", `${debounceMs} ms would merge contact closures at ${maxHz} Hz`);
  }
  const counter: ContactCounter = { type, debounceMs, maxHz, activeLow: fields.boolean("activeLow", false) };
  fields.finish();
  return counter;
}

function parseRate(fields: Fields, intervalS: number): PulseRateConfig {
  const rate: PulseRateConfig = parseOutput(fields, intervalS);
  const perSeconds = fields.optionalNumber("perSeconds", { min: 0, aboveMin: true, max: MAX_INTERVAL_S });
  if (perSeconds !== undefined) rate.perSeconds = perSeconds;
  fields.finish();
  return rate;
}

export function parseDigital(fields: Fields, context: InputContext): DigitalChannelConfig {
  const schedule = parseSchedule(fields, true);
  const config: DigitalChannelConfig = {
    kind: "digital", ...schedule,
    id: fields.number("id", CHANNEL_ID_RULE),
    pin: parsePin(fields, context.pins.digital, "a digital input"),
    activeLow: fields.boolean("activeLow", false),
    debounceMs: fields.number("debounceMs", { min: 0, max: 10_000, integer: true }, 50),
    logEdges: fields.boolean("logEdges", true),
  };
  const alarmState = fields.optionalOneOf("alarmState", [0, 1] as const);
  if (alarmState !== undefined) config.alarmState = alarmState;
  return config;
}

export function parseSerial(fields: Fields): SerialChannelConfig {
  const schedule = parseSchedule(fields);
  const fallbackTimeoutMs = Math.max(1, Math.min(30_000, Math.floor((schedule.intervalS * 1000 - schedule.warmUpMs) / 2)));
  const timeoutMs = fields.number("timeoutMs", { min: 1, integer: true }, fallbackTimeoutMs);
  if (timeoutMs + schedule.warmUpMs >= schedule.intervalS * 1000 && schedule.intervalS > 0) {
    fields.problem("timeoutMs", `${timeoutMs} ms plus the warm-up does not fit in the ${schedule.intervalS} s interval`);
  }
  const before = fields.problems.length;
  const protocol = fields.oneOf("protocol", ["sdi12", "modbus", "ascii"] as const);
  // An RS-232 sensor has no address, and one that streams needs no prompt.
  const addressed = protocol !== "ascii";
  const config: SerialChannelConfig = {
    kind: "serial", ...schedule,
    port: fields.oneOf("port", ["sdi12", "rs485", "rs232"] as const),
    protocol,
    address: addressed ? fields.string("address") : fields.optionalString("address") ?? "",
    command: addressed ? fields.string("command") : fields.optionalString("command") ?? "",
    timeoutMs,
    options: parseOptions(fields),
    values: parseSerialValues(fields, schedule.intervalS),
  };
  // The protocol's own rules are checked on fields that parsed, so that one mistake is reported once.
  if (fields.problems.length === before) {
    const target = serialTarget(config, fields.path);
    if (!target.ok) fields.problems.push(...target.problems);
  }
  return config;
}

function parseOptions(fields: Fields): Record<string, string | number | boolean> {
  const options: Record<string, string | number | boolean> = {};
  const optionFields = fields.object("options");
  if (!optionFields) return options;
  for (const key of Object.keys(optionFields.source)) {
    const value = optionFields.source[key];
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") options[key] = value;
    else optionFields.problem(key, "expected a string, number or true/false");
  }
  return options;
}

function parseSerialValues(fields: Fields, intervalS: number): SerialValueConfig[] {
  const values: SerialValueConfig[] = [];
  const indices = new Set<number>();
  for (const { value, path } of fields.array("values", true)) {
    const valueFields = Fields.of(value, path, fields.problems);
    if (!valueFields) continue;
    const index = valueFields.number("index", { min: 0, max: 65_535, integer: true });
    if (indices.has(index)) valueFields.problem("index", `${index} is read twice`);
    indices.add(index);
    const config: SerialValueConfig = { ...parseOutput(valueFields, intervalS), index };
    const name = valueFields.optionalString("name");
    if (name !== undefined) config.name = name;
    const unit = valueFields.optionalString("unit");
    if (unit !== undefined) config.unit = unit;
    valueFields.finish();
    values.push(config);
  }
  if (fields.has("values") && values.length === 0) fields.problem("values", "names no value to read");
  return values;
}
