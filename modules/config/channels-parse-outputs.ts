/** Parsing of what any logged value may carry: id, thresholds, statistics, rounding. */
import type { OutputConfig, RateOfChangeConfig, StatsConfig, ThresholdConfig } from "./channels.js";
import { MAX_INTERVAL_S } from "./channels.js";
import type { Fields } from "./channels-fields.js";
import { STAT_KINDS } from "./channels-outputs.js";

export const CHANNEL_ID_RULE = { min: 0, max: 65_535, integer: true } as const;

/** Reads `id`, `thresholds`, `stats` and `decimals` of `fields`; `intervalS` is the channel's. */
export function parseOutput(fields: Fields, intervalS: number): OutputConfig {
  const output: OutputConfig = { id: fields.number("id", CHANNEL_ID_RULE) };
  const thresholds = fields.object("thresholds");
  if (thresholds) output.thresholds = parseThresholds(thresholds);
  const stats = fields.object("stats");
  if (stats) output.stats = parseStats(stats, intervalS);
  const decimals = fields.optionalNumber("decimals", { min: 0, max: 6, integer: true });
  if (decimals !== undefined) output.decimals = decimals;
  return output;
}

function parseThresholds(fields: Fields): ThresholdConfig {
  const config: ThresholdConfig = { deadband: fields.number("deadband", { min: 0 }, 0) };
  const high = fields.optionalNumber("high", {});
  const low = fields.optionalNumber("low", {});
  if (high !== undefined) config.high = high;
  if (low !== undefined) config.low = low;
  if (high !== undefined && low !== undefined && low >= high) {
    fields.problem("low", `${low} must be below high (${high})`);
  }
  const rate = fields.object("rateOfChange");
  if (rate) config.rateOfChange = parseRateOfChange(rate);
  if (high === undefined && low === undefined && !rate) fields.problems.push(`${fields.path}: sets no high, low or rateOfChange`);
  fields.finish();
  return config;
}

function parseRateOfChange(fields: Fields): RateOfChangeConfig {
  const limit = fields.number("limit", { min: 0, aboveMin: true });
  const perSeconds = fields.number("perSeconds", { min: 0, aboveMin: true, max: MAX_INTERVAL_S });
  const deadband = fields.number("deadband", { min: 0 }, 0);
  if (deadband >= limit && limit > 0) fields.problem("deadband", `${deadband} would keep the alarm from ever clearing (limit ${limit})`);
  fields.finish();
  return { limit, perSeconds, deadband };
}

function parseStats(fields: Fields, channelIntervalS: number): StatsConfig {
  const intervalS = fields.number("intervalS", { min: 1, max: MAX_INTERVAL_S, integer: true });
  if (intervalS % channelIntervalS !== 0 && Number.isInteger(intervalS)) {
    fields.problem("intervalS", `${intervalS} s is not a multiple of the channel's interval (${channelIntervalS} s)`);
  }
  const stats: StatsConfig = { intervalS, keepSamples: fields.boolean("keepSamples", false) };
  let any = false;
  for (const kind of STAT_KINDS) {
    const id = fields.optionalNumber(kind, CHANNEL_ID_RULE);
    if (id === undefined) continue;
    stats[kind] = id;
    any = true;
  }
  if (!any) fields.problems.push(`${fields.path}: names no statistic (min, max, mean or last with a channel id)`);
  fields.finish();
  return stats;
}
