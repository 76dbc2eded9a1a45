/**
 * One physical input can log several channels: a pulse input its total and its rate, a serial
 * sensor one channel per value, and any of them statistics under ids of their own. This names
 * them, in the order a channel's reader delivers its readings.
 */
import type { ChannelConfig, OutputConfig, StatsConfig } from "./channels.js";

export const STAT_KINDS = ["min", "max", "mean", "last"] as const;
export type StatKind = (typeof STAT_KINDS)[number];

/** The values a channel's reader delivers, in order, each with its id and processing. */
export function channelOutputs(channel: ChannelConfig): readonly OutputConfig[] {
  switch (channel.kind) {
    case "analog":
      return [channel];
    case "pulse":
      return channel.rate ? [channel, channel.rate] : [channel];
    case "digital":
      return [{ id: channel.id }];
    case "serial":
      return channel.values;
  }
}

/** Statistics configured for an output, with the id each is logged under. */
export function statIds(stats: StatsConfig): Array<{ kind: StatKind; id: number }> {
  const ids: Array<{ kind: StatKind; id: number }> = [];
  for (const kind of STAT_KINDS) {
    const id = stats[kind];
    if (id !== undefined) ids.push({ kind, id });
  }
  return ids;
}

/** Every channel id a configured input may log under. */
export function loggedIds(channel: ChannelConfig): number[] {
  const ids: number[] = [];
  for (const output of channelOutputs(channel)) {
    ids.push(output.id);
    if (output.stats) for (const stat of statIds(output.stats)) ids.push(stat.id);
  }
  return ids;
}
