/**
 * Turns a channel configuration (parsed JSON) into `ChannelSetConfig`, or throws
 * `ChannelConfigError` listing every problem with its path. Nothing is half-applied: a device
 * given a bad configuration keeps the one it has.
 */
import type { PinMap } from "../platform/platform.js";
import type { ChannelConfig, ChannelSetConfig, RailConfig } from "./channels.js";
import { Fields } from "./channels-fields.js";
import { loggedIds } from "./channels-outputs.js";
import { parseAnalog, parseDigital, parsePulse, parseSerial, type InputContext } from "./channels-parse-inputs.js";

export class ChannelConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`channel configuration: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n  ${problems.join("\n  ")}`);
    this.name = "ChannelConfigError";
    this.problems = problems;
  }
}

export function parseChannelSet(input: unknown, pins: PinMap): ChannelSetConfig {
  const problems: string[] = [];
  const top = Fields.of(input, "", problems);
  if (!top) throw new ChannelConfigError(problems);
  const adcFullScaleVolts = top.number("adcFullScaleVolts", { min: 0, aboveMin: true }, 3.3);
  const context: InputContext = { pins, adcFullScaleVolts };
  const rails: RailConfig[] = [];
  for (const { value, path } of top.array("rails", false)) {
    const fields = Fields.of(value, path, problems);
    if (fields) rails.push(parseRail(fields, pins));
  }
  const channels: ChannelConfig[] = [];
  for (const { value, path } of top.array("channels", true)) {
    const fields = Fields.of(value, path, problems);
    const channel = fields && parseChannel(fields, context);
    if (channel) channels.push(channel);
  }
  top.finish();
  checkAcrossChannels(rails, channels, problems);
  if (problems.length) throw new ChannelConfigError(problems);
  return { adcFullScaleVolts, rails, channels };
}

function parseRail(fields: Fields, pins: PinMap): RailConfig {
  const name = fields.string("name");
  const pin = fields.number("pin", { min: 0, integer: true });
  const switchable = [...pins.rails, ...pins.digital];
  if (fields.has("pin") && !switchable.includes(pin)) {
    fields.problem("pin", `${pin} cannot switch a rail on this board (rail outputs: ${pins.rails.join(", ")}; ` +
      `digital pins: ${pins.digital.join(", ")})`);
  }
  const rail: RailConfig = { name, pin, activeLow: fields.boolean("activeLow", false) };
  fields.finish();
  return rail;
}

function parseChannel(fields: Fields, context: InputContext): ChannelConfig | undefined {
  if (!fields.has("kind")) {
    fields.problem("kind", "required, one of analog, pulse, digital, serial");
    return undefined;
  }
  const kind = fields.oneOf("kind", ["analog", "pulse", "digital", "serial"] as const);
  let channel: ChannelConfig;
  switch (kind) {
    case "analog": channel = parseAnalog(fields, context); break;
    case "pulse": channel = parsePulse(fields, context); break;
    case "digital": channel = parseDigital(fields, context); break;
    case "serial": channel = parseSerial(fields); break;
  }
  fields.finish();
  return channel;
}

/** Names, ids and pins must be unique; rails must exist and not share a pin with anything. */
function checkAcrossChannels(rails: readonly RailConfig[], channels: readonly ChannelConfig[], problems: string[]): void {
  const railNames = new Map<string, RailConfig>();
  const pinOwners = new Map<number, string>();
  const claimPin = (pin: number, owner: string) => {
    const previous = pinOwners.get(pin);
    if (previous !== undefined) problems.push(`pin ${pin} is used by both ${previous} and ${owner}`);
    else pinOwners.set(pin, owner);
  };
  for (const rail of rails) {
    if (railNames.has(rail.name)) problems.push(`rail "${rail.name}" is declared twice`);
    railNames.set(rail.name, rail);
    claimPin(rail.pin, `rail "${rail.name}"`);
  }
  const names = new Set<string>();
  const idOwners = new Map<number, string>();
  for (const channel of channels) {
    if (names.has(channel.name)) problems.push(`channel name "${channel.name}" is used twice`);
    names.add(channel.name);
    if (channel.kind !== "serial") claimPin(channel.pin, `channel "${channel.name}"`);
    if (channel.rail !== undefined && !railNames.has(channel.rail)) {
      const known = [...railNames.keys()].join(", ") || "none declared";
      problems.push(`channel "${channel.name}": unknown rail "${channel.rail}" (rails: ${known})`);
    }
    for (const id of loggedIds(channel)) {
      const previous = idOwners.get(id);
      if (previous !== undefined) problems.push(`channel id ${id} is used by both "${previous}" and "${channel.name}"`);
      else idOwners.set(id, channel.name);
    }
  }
}
