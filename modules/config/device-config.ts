/**
 * The whole configuration of one logger as typed data: its channels (channels.ts), how and how
 * often it transmits, the cellular APN, the log's overflow policy and the serial sensor ports.
 * The device's identity and secrets (server credentials, the CA, the BLE pairing key) are not
 * part of it: they are provisioned at manufacture (provisioning.ts) and never travel in a
 * configuration or a trace.
 */
import { CIPHER_SUITES, isAllowedSuite, type CipherSuite } from "../../drivers/modem/bg9x/tls-config.js";
import type { PinMap } from "../platform/platform.js";
import type { ChannelSetConfig } from "./channels.js";
import { Fields } from "./channels-fields.js";
import { ChannelConfigError, parseChannelSet } from "./channels-parse.js";

export type Transport = "mqtt" | "https";
export type OverflowPolicy = "stop" | "drop-oldest";
export type SensorPortName = "rs485" | "rs232";

/** The TLS 1.2 suites the logger may use: the modem driver's policy. */
const ALLOWED_CIPHER_SUITES: readonly CipherSuite[] = Object.values(CIPHER_SUITES).filter(isAllowedSuite);

export const MIN_TRANSMIT_INTERVAL_S = 300;
export const MAX_TRANSMIT_INTERVAL_S = 86_400;

export interface UplinkConfig {
  transport: Transport;
  host: string;
  port: number;
  cipherSuite: CipherSuite;
  /** Regular transmissions, from every 5 minutes to once a day; alarms go at once. */
  intervalS: number;
  /** How many sessions may fail after a configuration change before it is reverted. */
  revertAfterFailedSessions: number;
}

export interface SensorPortConfig {
  baud: number;
  dataBits: 7 | 8;
  parity: "none" | "even" | "odd";
  stopBits: 1 | 2;
  /** Modbus unit address of the sensor on RS485. */
  address?: number;
  timeoutMs: number;
}

export interface DeviceConfig {
  /** Increases with every accepted change; the server names the version it sends. */
  version: number;
  sampling: ChannelSetConfig;
  uplink: UplinkConfig;
  apn: string;
  logPolicy: OverflowPolicy;
  sensorPorts: Record<SensorPortName, SensorPortConfig>;
}

export class DeviceConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`configuration: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n  ${problems.join("\n  ")}`);
    this.name = "DeviceConfigError";
  }
}

/** 3GPP TS 23.003 §9.1: the whole APN is at most 100 octets, each label at most 63. */
export const APN_MAX = 100;
const APN_LABEL_MAX = 63;

/**
 * Letters, digits and inner hyphens, at most 63. Checked without a counted group: XS's regular
 * expressions accept /^a([a-z]{0,61}a)?$/ on 64 letters.
 */
function isApnLabel(label: string): boolean {
  return label.length >= 1 && label.length <= APN_LABEL_MAX && /^[A-Za-z0-9-]+$/.test(label) &&
    label[0] !== "-" && label[label.length - 1] !== "-";
}

/**
 * Why `apn` is not a 3GPP APN network identifier (dot-separated labels of letters, digits and
 * inner hyphens, without the operator's `.gprs` part), or undefined. The one rule for the
 * configuration and the console.
 */
export function apnProblem(apn: string): string | undefined {
  if (apn.length === 0) return "APN is empty";
  if (apn.length > APN_MAX) return `APN is ${apn.length} characters; at most ${APN_MAX}`;
  if (!apn.split(".").every(isApnLabel)) {
    return `APN "${apn}" is not valid: labels of letters, digits and inner hyphens, separated by single dots`;
  }
  if (/\.gprs$/i.test(apn)) return "APN must not end in .gprs (the operator part is added by the network)";
  return undefined;
}

function parseSensorPort(fields: Fields | undefined, fallback: SensorPortConfig): SensorPortConfig {
  if (!fields) return fallback;
  const port: SensorPortConfig = {
    baud: fields.oneOf("baud", [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200], fallback.baud),
    dataBits: fields.oneOf("dataBits", [7, 8] as const, fallback.dataBits),
    parity: fields.oneOf("parity", ["none", "even", "odd"] as const, fallback.parity),
    stopBits: fields.oneOf("stopBits", [1, 2] as const, fallback.stopBits),
    timeoutMs: fields.number("timeoutMs", { min: 50, max: 10_000, integer: true }, fallback.timeoutMs),
  };
  const address = fields.optionalNumber("address", { min: 1, max: 247, integer: true });
  if (address !== undefined) port.address = address;
  fields.finish();
  return port;
}

export const DEFAULT_SENSOR_PORT: SensorPortConfig = Object.freeze({ baud: 9600, dataBits: 8, parity: "none", stopBits: 1, timeoutMs: 1000 });

/**
 * Validates a configuration document (parsed JSON) and fills in defaults. Throws
 * DeviceConfigError listing every problem; nothing is half-applied.
 */
export function parseDeviceConfig(input: unknown, pins: PinMap): DeviceConfig {
  const problems: string[] = [];
  const top = Fields.of(input, "", problems);
  if (!top) throw new DeviceConfigError(problems);
  const version = top.number("version", { min: 1, integer: true });
  const uplinkFields = top.object("uplink");
  const uplink: UplinkConfig = {
    transport: uplinkFields?.oneOf("transport", ["mqtt", "https"] as const, "mqtt") ?? "mqtt",
    host: uplinkFields?.string("host") ?? "",
    port: uplinkFields?.number("port", { min: 1, max: 65535, integer: true }, 8883) ?? 8883,
    cipherSuite: uplinkFields?.oneOf("cipherSuite", ALLOWED_CIPHER_SUITES, 0xc02b) ?? 0xc02b,
    intervalS: uplinkFields?.number("intervalS", { min: MIN_TRANSMIT_INTERVAL_S, max: MAX_TRANSMIT_INTERVAL_S, integer: true }, 900) ?? 900,
    revertAfterFailedSessions: uplinkFields?.number("revertAfterFailedSessions", { min: 1, max: 10, integer: true }, 3) ?? 3,
  };
  if (!uplinkFields) top.problem("uplink", "required");
  uplinkFields?.finish();
  const apn = top.string("apn");
  const badApn = top.has("apn") ? apnProblem(apn) : undefined;
  if (badApn) top.problem("apn", badApn);
  const logPolicy = top.oneOf("logPolicy", ["stop", "drop-oldest"] as const, "drop-oldest");
  const portsFields = top.object("sensorPorts");
  const sensorPorts: Record<SensorPortName, SensorPortConfig> = {
    rs485: parseSensorPort(portsFields?.object("rs485"), DEFAULT_SENSOR_PORT),
    rs232: parseSensorPort(portsFields?.object("rs232"), DEFAULT_SENSOR_PORT),
  };
  portsFields?.finish();
  let sampling: ChannelSetConfig = { adcFullScaleVolts: 3.3, rails: [], channels: [] };
  const samplingInput: unknown = top.has("sampling") ? top.source.sampling : undefined;
  top.object("sampling");
  if (samplingInput === undefined) {
    top.problem("sampling", "required");
  } else {
    try {
      sampling = parseChannelSet(samplingInput, pins);
    } catch (error) {
      if (!(error instanceof ChannelConfigError)) throw error;
      for (const problem of error.problems) problems.push(`sampling.${problem}`);
    }
  }
  top.finish();
  if (problems.length) throw new DeviceConfigError(problems);
  return { version, sampling, uplink, apn, logPolicy, sensorPorts };
}
