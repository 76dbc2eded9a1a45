/**
 * What a technician may set on site, and the exact values accepted. Anything outside these sets
 * is refused before any subsystem sees it.
 */
import type { Parity } from "../platform/io.js";
import type { Framing, SensorPort, SensorPortChange } from "./services.js";
import { accepted, parseDecimal, quote, rejected, type Parsed } from "./tokens.js";
import { apnProblem } from "../config/device-config.js";

export const SENSOR_PORTS: readonly SensorPort[] = ["rs485", "rs232"];
export const BAUD_RATES: readonly number[] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];
/** Modbus RTU slave addresses (0 is broadcast, 248..255 reserved). */
export const ADDRESS_RANGE = { min: 1, max: 247 };
export const TIMEOUT_RANGE_MS = { min: 50, max: 10_000 };

const PARITY_LETTERS: Record<string, Parity> = { N: "none", E: "even", O: "odd" };
const FRAMING = /^([78])([NEOneo])([12])$/;

export type SensorPortParam = SensorPortChange["param"];
export const SENSOR_PORT_PARAMS: readonly SensorPortParam[] = ["baud", "framing", "address", "timeout"];

export function parseSensorPort(word: string): Parsed<SensorPort> {
  const port = SENSOR_PORTS.find((name) => name === word.toLowerCase());
  if (port) return accepted(port);
  if (word.toLowerCase() === "sdi12") return rejected("sdi12 runs at 1200 7E1 by the SDI-12 standard; nothing to set (use sdi12 scan)");
  return rejected(`unknown port ${quote(word)}; ports: ${SENSOR_PORTS.join(", ")}`);
}

export function parseSensorPortChange(port: SensorPort, param: string, value: string): Parsed<SensorPortChange> {
  switch (param.toLowerCase()) {
    case "baud": {
      const baud = parseDecimal(value, BAUD_RATES[0], BAUD_RATES[BAUD_RATES.length - 1], "baud rate");
      if (!baud.ok) return baud;
      if (BAUD_RATES.indexOf(baud.value) < 0) return rejected(`baud rate ${baud.value} is not one of ${BAUD_RATES.join(", ")}`);
      return accepted({ param: "baud", baud: baud.value });
    }
    case "framing": {
      const framing = parseFraming(value);
      return framing.ok ? accepted({ param: "framing", framing: framing.value }) : framing;
    }
    case "address": {
      if (port !== "rs485") return rejected(`${port} is point to point: it has no bus address`);
      const address = parseDecimal(value, ADDRESS_RANGE.min, ADDRESS_RANGE.max, "address");
      return address.ok ? accepted({ param: "address", address: address.value }) : address;
    }
    case "timeout": {
      const timeout = parseDecimal(value, TIMEOUT_RANGE_MS.min, TIMEOUT_RANGE_MS.max, "timeout (ms)");
      return timeout.ok ? accepted({ param: "timeout", timeoutMs: timeout.value }) : timeout;
    }
    default:
      return rejected(`unknown parameter ${quote(param)}; parameters: ${SENSOR_PORT_PARAMS.join(", ")}`);
  }
}

/** "8N1", "7E1", ...: data bits, parity letter, stop bits. */
export function parseFraming(text: string): Parsed<Framing> {
  const match = FRAMING.exec(text);
  if (!match) return rejected(`framing ${quote(text)} is not like 8N1 (data bits 7|8, parity N|E|O, stop bits 1|2)`);
  return accepted({
    dataBits: match[1] === "7" ? 7 : 8,
    parity: PARITY_LETTERS[match[2].toUpperCase()],
    stopBits: match[3] === "2" ? 2 : 1,
  });
}

export function formatFraming(framing: Framing): string {
  return `${framing.dataBits}${framing.parity[0].toUpperCase()}${framing.stopBits}`;
}

/** An APN network identifier, by the configuration's rule (the console lines are plain ASCII by now). */
export function parseApn(text: string): Parsed<string> {
  const problem = apnProblem(text);
  return problem ? rejected(problem) : accepted(text);
}
