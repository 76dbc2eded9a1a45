/**
 * Serial channels' protocol settings are checked by config validation: a good channel of each
 * protocol parses, and a bad one refuses the whole document with every problem at its path.
 * The reader factories refuse the same channels with the same sentences (not sampled, listed).
 */
import type { SerialChannelConfig } from "../../modules/config/channels.js";
import { ChannelConfigError, parseChannelSet } from "../../modules/config/channels-parse.js";
import { HealthCounters } from "../../modules/health/counters.js";
import { REFERENCE_PINS } from "../../modules/platform/reference-board.js";
import { SamplingEngine } from "../../modules/sampling/engine.js";
import { serialTarget } from "../../modules/sampling/serial-target.js";
import { SerialSensors } from "../../modules/logger/serial-sensors.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { bootPlatform, MemorySink, newBoard } from "./sampling-harness.js";

type Json = Record<string, unknown>;

const CHANNELS: Record<string, Json> = {
  soil: { kind: "serial", name: "soil", port: "sdi12", protocol: "sdi12", address: "0", command: "C3", options: { crc: true },
    intervalS: 900, values: [{ index: 0, id: 10 }, { index: 11, id: 11 }] },
  meter: { kind: "serial", name: "meter", port: "rs485", protocol: "modbus", address: "12", command: "read-input",
    options: { type: "int32", order: "DCBA", scale: 0.01, offset: -5 }, intervalS: 60, values: [{ index: 30_001, id: 40 }, { index: 0, id: 41 }] },
  air: { kind: "serial", name: "air", port: "rs232", protocol: "ascii", command: "READ\r\n", options: { pattern: "^T=([-0-9.]+) H=([0-9.]+)$", retries: 3 },
    intervalS: 60, values: [{ index: 2, id: 50 }, { index: 1, id: 51 }] },
};

function serial(name: string, change: (channel: Json) => void = () => undefined): Json {
  const channel = JSON.parse(JSON.stringify(CHANNELS[name])) as Json;
  change(channel);
  return channel;
}

/** Expects the document with `channel` to be refused with each of `problems` among its problems. */
function refused(channel: Json, ...problems: RegExp[]): void {
  const error = throws(() => parseChannelSet({ channels: [channel] }, REFERENCE_PINS), ChannelConfigError) as ChannelConfigError;
  for (const problem of problems) {
    ok(error.problems.some((line) => problem.test(line)), `no problem matching ${problem} in:\n  ${error.problems.join("\n  ")}`);
  }
  equal(error.problems.length, problems.length, `exactly the expected problems:\n  ${error.problems.join("\n  ")}`);
}

function target(channel: Json) {
  const parsed = parseChannelSet({ channels: [channel] }, REFERENCE_PINS).channels[0] as SerialChannelConfig;
  const checked = serialTarget(parsed, parsed.name);
  if (!checked.ok) throw new Error(checked.problems.join("; "));
  return checked.target;
}

export const cases: TestCase[] = [
  {
    name: "a channel of each protocol reads its address, command and options",
    run() {
      deepEqual(target(serial("soil")), { protocol: "sdi12", request: { address: "0", kind: "C", group: 3, crc: true } });
      deepEqual(target(serial("soil", (c) => { c.command = "R0"; c.options = {}; })), { protocol: "sdi12", request: { address: "0", kind: "R" } });
      deepEqual(target(serial("soil", (c) => { c.command = "HA"; })), { protocol: "sdi12", request: { address: "0", kind: "HA", crc: true } });
      deepEqual(target(serial("meter")), { protocol: "modbus", unit: 12, function: 4, type: "int32", order: "DCBA", scale: 0.01, offset: -5 });
      deepEqual(target(serial("meter", (c) => { c.address = "port"; c.command = "read-holding"; c.options = { type: "uint16" }; })),
        { protocol: "modbus", unit: "port", function: 3, type: "uint16", order: "ABCD", scale: 1, offset: 0 });
      deepEqual(target(serial("air")), {
        protocol: "ascii", prompt: "READ\r\n", retries: 3, maxLineLength: 120,
        extraction: { kind: "pattern", pattern: "^T=([-0-9.]+) H=([0-9.]+)$", groups: [2, 1] },
      });
      deepEqual(target(serial("air", (c) => { delete c.command; c.options = { delimiter: ";", prefix: "$W" }; c.values = [{ index: 0, id: 50 }]; })), {
        protocol: "ascii", retries: 1, maxLineLength: 120, extraction: { kind: "delimited", delimiter: ";", fields: [0], prefix: "$W" },
      });
    },
  },
  {
    name: "SDI-12: a bad address, command or CRC request is refused at its path",
    run() {
      refused(serial("soil", (c) => { c.address = "#"; }), /^channels\[0\]\.address: "#" is not an SDI-12 address/);
      refused(serial("soil", (c) => { c.command = "M10"; }), /^channels\[0\]\.command: "M10" is not a measurement \(M, M1\.\.M9, C, C1\.\.C9, R0\.\.R9, V, HA\)/);
      refused(serial("soil", (c) => { c.command = "V"; }), /^channels\[0\]\.options\.crc: aV! has no CRC form/);
      refused(serial("soil", (c) => { c.options = { crc: "yes" }; }), /^channels\[0\]\.options\.crc: expected true or false, got "yes"/);
      refused(serial("soil", (c) => { c.port = "rs485"; }), /^channels\[0\]\.port: sdi12 sensors are on the sdi12 port, not rs485/);
    },
  },
  {
    name: "Modbus: unknown options, a bad word order or type, a bad unit or command, registers past the end",
    run() {
      refused(serial("meter", (c) => { c.options = { type: "float32", order: "ACBD", wordOrder: "CDAB" }; }),
        /^channels\[0\]\.options\.order: "ACBD" is not one of ABCD, CDAB, BADC, DCBA/,
        /^channels\[0\]\.options\.wordOrder: unknown option for modbus \(it takes type, order, scale, offset\)/);
      refused(serial("meter", (c) => { c.options = {}; }), /^channels\[0\]\.options\.type: required, one of int16, uint16, int32, uint32, float32/);
      refused(serial("meter", (c) => { c.options = { type: "float64" }; }), /options\.type: "float64" is not one of/);
      refused(serial("meter", (c) => { c.options = { type: "int16", scale: 0 }; }), /options\.scale: must not be 0/);
      refused(serial("meter", (c) => { c.address = "248"; }), /^channels\[0\]\.address: "248" is not a Modbus unit id \(1\.\.247, or "port"\)/);
      refused(serial("meter", (c) => { c.address = "01"; }), /address: "01" is not a Modbus unit id/);
      refused(serial("meter", (c) => { c.command = "3"; }), /^channels\[0\]\.command: "3" is not one of read-holding, read-input/);
      refused(serial("meter", (c) => { c.values = [{ index: 65_535, id: 40 }]; }), /^channels\[0\]\.values\[0\]\.index: register 65535 is beyond the last int32 register \(65534\)/);
    },
  },
  {
    name: "RS232: no address, a printable prompt, a delimiter or a pattern that compiles, fields from 0 and groups from 1",
    run() {
      refused(serial("air", (c) => { c.address = "1"; }), /^channels\[0\]\.address: RS-232 is point to point: an ascii sensor has no address/);
      refused(serial("air", (c) => { c.command = "READ\u0007"; }), /^channels\[0\]\.command: the prompt must be 1\.\.64 printable characters/);
      refused(serial("air", (c) => { c.options = {}; }), /^channels\[0\]\.options\.delimiter: required \(or a pattern\)/);
      refused(serial("air", (c) => { c.options = { pattern: "^T=(" }; }), /^channels\[0\]\.options\.pattern: pattern does not compile/);
      refused(serial("air", (c) => { c.options = { pattern: "^T=(.*)$", delimiter: "," }; }), /options\.pattern: takes no delimiter or prefix/);
      refused(serial("air", (c) => { c.options = { delimiter: ",,,,," }; c.values = [{ index: 0, id: 50 }]; }), /options\.delimiter: delimiter must be 1\.\.4 characters/);
      refused(serial("air", (c) => { c.values = [{ index: 0, id: 50 }]; }), /^channels\[0\]\.values\[0\]\.index: 0 is not a capture group \(1\.\.64\)/);
      refused(serial("air", (c) => { c.options = { delimiter: "," }; c.values = [{ index: 65, id: 50 }]; }), /values\[0\]\.index: 65 is not a field \(0\.\.64\)/);
      refused(serial("air", (c) => { c.port = "rs485"; c.options = { delimiter: ",", baud: 4800 }; }),
        /port: ascii sensors are on the rs232 port, not rs485/, /options\.baud: unknown option for ascii/);
    },
  },
  {
    name: "a channel whose options were never validated is not sampled, with the same sentence, and the others are",
    run() {
      const board = newBoard("serial-unchecked");
      const platform = bootPlatform(board);
      const config = parseChannelSet({ channels: [serial("soil")] }, REFERENCE_PINS);
      const unchecked = { ...config.channels[0], name: "unchecked", options: { crc: true, depth: 3 } } as SerialChannelConfig;
      const counters = new HealthCounters();
      const serialSensors = new SerialSensors(platform, counters);
      const engine = new SamplingEngine({
        platform, config: { ...config, channels: [unchecked, config.channels[0]] }, sink: new MemorySink(), counters, serialReaders: serialSensors.readers,
      });
      engine.start();
      deepEqual(engine.unsampled, ["unchecked"]);
      ok(board.traceLog.some((line) => line === `sampling: channel "unchecked" not sampled: unchecked.options.depth: unknown option for sdi12 (it takes crc)`),
        board.traceLog.join("\n"));
      engine.stop();
    },
  },
];
