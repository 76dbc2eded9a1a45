/**
 * What a serial channel asks of its driver, read once from its `address`, `command`, `options`
 * and `values`: the SDI-12 measurement, the Modbus registers, or the RS232 prompt and field
 * extraction. Config validation (parseSerial) and the reader factories call the same function, so
 * a document the logger accepted always opens, and a bad one is refused with every problem's path.
 * docs/configuration.md "Serial channels" documents each protocol's settings.
 */
import { type MeasurementRequest, checkMeasurementRequest, isSdi12Address } from "../../drivers/sdi12/commands.js";
import { DATA_TYPES, type ModbusDataType, WORD_ORDERS, type WordOrder, registerCount } from "../../drivers/modbus/values.js";
import { type FieldExtraction, compileExtraction } from "../../drivers/serial-ascii/extraction.js";
import type { SerialChannelConfig, SerialProtocol } from "../config/channels.js";
import { Fields } from "../config/channels-fields.js";
import type { SerialPortName } from "../platform/io.js";

export interface Sdi12Target {
  protocol: "sdi12";
  request: MeasurementRequest;
}

export interface ModbusTarget {
  protocol: "modbus";
  /** The unit id, or "port": the unit set for the RS485 port (console `serial rs485 address`). */
  unit: number | "port";
  function: 3 | 4;
  type: ModbusDataType;
  order: WordOrder;
  scale: number;
  offset: number;
}

export interface AsciiTarget {
  protocol: "ascii";
  /** Sent before each reading; absent for a sensor that streams. */
  prompt?: string;
  extraction: FieldExtraction;
  retries: number;
  maxLineLength: number;
}

export type SerialTarget = Sdi12Target | ModbusTarget | AsciiTarget;

export type SerialChannelFields = Pick<SerialChannelConfig, "port" | "protocol" | "address" | "command" | "options" | "values">;

/** Each protocol has one port on the reference board. */
const PROTOCOL_PORT: Record<SerialProtocol, SerialPortName> = { sdi12: "sdi12", modbus: "rs485", ascii: "rs232" };

const OPTION_NAMES: Record<SerialProtocol, readonly string[]> = {
  sdi12: ["crc"],
  modbus: ["type", "order", "scale", "offset"],
  ascii: ["delimiter", "prefix", "pattern", "retries", "maxLineLength"],
};

const MODBUS_COMMANDS: Readonly<Record<string, 3 | 4>> = { "read-holding": 3, "read-input": 4 };
const SDI12_COMMAND = /^(?:([MC])([1-9])?|R([0-9])|V|HA)$/;
const PROMPT = /^[\x20-\x7e\r\n]{1,64}$/;
/** An aHA! measurement announces up to 999 values (nnn). */
const MAX_SDI12_INDEX = 998;
/** The extraction takes fields and groups up to 64. */
const MAX_ASCII_INDEX = 64;

/**
 * Reads the channel's protocol settings; `at` prefixes each problem's path (`channels[1]`).
 * Returns the target, or every problem found.
 */
export function serialTarget(channel: SerialChannelFields, at: string): { ok: true; target: SerialTarget } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const problem = (key: string, message: string) => problems.push(`${at}.${key}: ${message}`);
  const port = PROTOCOL_PORT[channel.protocol];
  if (channel.port !== port) problem("port", `${channel.protocol} sensors are on the ${port} port, not ${channel.port}`);
  const options = Fields.of(channel.options, `${at}.options`, problems)!;
  for (const key of Object.keys(channel.options)) {
    if (OPTION_NAMES[channel.protocol].indexOf(key) < 0) {
      options.problem(key, `unknown option for ${channel.protocol} (it takes ${OPTION_NAMES[channel.protocol].join(", ")})`);
    }
  }
  let target: SerialTarget;
  switch (channel.protocol) {
    case "sdi12": target = sdi12Target(channel, options, problem); break;
    case "modbus": target = modbusTarget(channel, options, problem); break;
    case "ascii": target = asciiTarget(channel, options, problem); break;
  }
  return problems.length ? { ok: false, problems } : { ok: true, target };
}

type Problem = (key: string, message: string) => void;

function sdi12Target(channel: SerialChannelFields, options: Fields, problem: Problem): Sdi12Target {
  if (!isSdi12Address(channel.address)) problem("address", `"${channel.address}" is not an SDI-12 address (one of 0-9, A-Z, a-z)`);
  const match = SDI12_COMMAND.exec(channel.command);
  const request: MeasurementRequest = { address: channel.address, kind: "M" };
  if (!match) {
    problem("command", `"${channel.command}" is not a measurement (M, M1..M9, C, C1..C9, R0..R9, V, HA)`);
  } else {
    const [, family, group, continuous] = match;
    request.kind = family === "M" || family === "C" ? family : continuous !== undefined ? "R" : channel.command === "V" ? "V" : "HA";
    const number = Number(group ?? continuous ?? 0);
    if (number) request.group = number;
  }
  const crc = options.boolean("crc", false);
  if (crc) request.crc = true;
  if (match && isSdi12Address(channel.address)) {
    const invalid = checkMeasurementRequest(request);
    if (invalid) options.problem("crc", invalid);
  }
  channel.values.forEach((value, i) => {
    if (value.index > MAX_SDI12_INDEX) problem(`values[${i}].index`, `${value.index} is beyond the last value of a measurement (${MAX_SDI12_INDEX})`);
  });
  return { protocol: "sdi12", request };
}

function modbusTarget(channel: SerialChannelFields, options: Fields, problem: Problem): ModbusTarget {
  let unit: number | "port" = "port";
  if (channel.address !== "port") {
    unit = /^[1-9][0-9]{0,2}$/.test(channel.address) ? Number(channel.address) : 0;
    if (unit < 1 || unit > 247) problem("address", `"${channel.address}" is not a Modbus unit id (1..247, or "port")`);
  }
  const fn = MODBUS_COMMANDS[channel.command];
  if (fn === undefined) problem("command", `"${channel.command}" is not one of ${Object.keys(MODBUS_COMMANDS).join(", ")}`);
  const type = options.oneOf("type", DATA_TYPES);
  const target: ModbusTarget = {
    protocol: "modbus", unit, function: fn ?? 4, type,
    order: options.oneOf("order", WORD_ORDERS, "ABCD"),
    scale: options.number("scale", {}, 1),
    offset: options.number("offset", {}, 0),
  };
  if (target.scale === 0) options.problem("scale", "must not be 0");
  const last = 65536 - registerCount(type);
  channel.values.forEach((value, i) => {
    if (value.index > last) problem(`values[${i}].index`, `register ${value.index} is beyond the last ${type} register (${last})`);
  });
  return target;
}

function asciiTarget(channel: SerialChannelFields, options: Fields, problem: Problem): AsciiTarget {
  if (channel.address !== "") problem("address", "RS-232 is point to point: an ascii sensor has no address");
  if (channel.command !== "" && !PROMPT.test(channel.command)) problem("command", "the prompt must be 1..64 printable characters (CR and LF allowed)");
  const pattern = options.optionalString("pattern");
  const delimiter = options.optionalString("delimiter");
  const prefix = options.optionalString("prefix");
  // Fields count from 0, a pattern's groups from 1 (group 0 is the whole match).
  const first = pattern === undefined ? 0 : 1;
  let indexesFit = true;
  channel.values.forEach((value, i) => {
    if (value.index < first || value.index > MAX_ASCII_INDEX) {
      indexesFit = false;
      problem(`values[${i}].index`, `${value.index} is not a ${first ? "capture group (1" : "field (0"}..${MAX_ASCII_INDEX})`);
    }
  });
  const indexes = channel.values.map((value) => value.index);
  let extraction: FieldExtraction;
  if (pattern !== undefined) {
    if (delimiter !== undefined || prefix !== undefined) options.problem("pattern", "takes no delimiter or prefix (the pattern picks the lines)");
    extraction = { kind: "pattern", pattern, groups: indexes };
  } else {
    if (!options.has("delimiter")) options.problem("delimiter", "required (or a pattern)");
    extraction = prefix === undefined
      ? { kind: "delimited", delimiter: delimiter ?? ",", fields: indexes }
      : { kind: "delimited", delimiter: delimiter ?? ",", fields: indexes, prefix };
  }
  // What is left to check is that the delimiter's length fits and the pattern compiles.
  const compiled = indexes.length && indexesFit ? compileExtraction(extraction) : undefined;
  if (typeof compiled === "string") options.problem(pattern !== undefined ? "pattern" : "delimiter", compiled);
  const target: AsciiTarget = {
    protocol: "ascii", extraction,
    retries: options.number("retries", { min: 0, max: 5, integer: true }, 1),
    maxLineLength: options.number("maxLineLength", { min: 8, max: 1024, integer: true }, 120),
  };
  if (channel.command !== "") target.prompt = channel.command;
  return target;
}
