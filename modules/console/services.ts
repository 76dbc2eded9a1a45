/**
 * Everything the console may ask of the rest of the logger. The lead wires the real subsystems
 * behind these interfaces; tests use fakes. The surface is deliberately small: there is no way
 * through it to touch firmware, the data log or the uplink, so no console command can either.
 */
import type { Parity } from "../platform/io.js";

export type Result = { ok: true } | { ok: false; error: string };
export type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

/** The serial sensor ports whose parameters a technician may change on site. */
export type SensorPort = "rs485" | "rs232";

export interface Framing {
  dataBits: 7 | 8;
  parity: Parity;
  stopBits: 1 | 2;
}

export interface SensorPortSettings {
  baud: number;
  framing: Framing;
  /** Bus address of the sensor (Modbus slave id); RS-485 only. */
  address?: number;
  /** How long to wait for a sensor's answer. */
  timeoutMs: number;
}

/** One parameter change, already validated by the console. */
export type SensorPortChange =
  | { param: "baud"; baud: number }
  | { param: "framing"; framing: Framing }
  | { param: "address"; address: number }
  | { param: "timeout"; timeoutMs: number };

export interface ModemStatus {
  /** The modem state machine's state, e.g. "off", "registering", "connected". */
  state: string;
  /** Network registration, e.g. "home", "roaming", "searching", "denied". */
  registration: string;
  rssiDbm?: number;
  operator?: string;
  /** Radio access technology, e.g. "LTE-M", "NB-IoT", "GSM". */
  accessTechnology?: string;
}

/** Operational state only: counts and states, never stored samples, never secrets. */
export interface StatusReport {
  modem: ModemStatus;
  apn: string;
  sampling: { ticks: number; intervalS: number; channels: number };
  uplink: { lastResult: string; unsentRecords: number };
  /** Fault counters by name (HealthCounters.snapshot()). */
  counters: ReadonlyArray<readonly [string, number]>;
}

export interface ModemIdentity {
  manufacturer: string;
  model: string;
  firmware: string;
  imei: string;
  iccid?: string;
}

export interface Sdi12Sensor {
  /** The one-character SDI-12 address. */
  address: string;
  /** The sensor's answer to aI!, without the address. */
  identification: string;
}

/** The modem driver's troubleshooting hooks. */
export interface ConsoleModem {
  /** Parks the firmware's own modem session; `done` once the modem is idle and ours. */
  pause(done: (result: Result) => void): void;
  /** Hands the modem back to the firmware's session. */
  resume(): void;
  /** Sends one AT command line; `lines` are the information lines, `final` is OK/ERROR/+CME ERROR... */
  sendAt(line: string, done: (lines: string[], final: string) => void): void;
}

export interface ConsoleServices {
  status(): StatusReport;
  /** Extra diagnostic key/value pairs from the subsystems (recovery state, last errors...). */
  diag(): ReadonlyArray<readonly [string, string | number]>;
  modemInfo(done: (answer: Answer<ModemIdentity>) => void): void;
  apn(): string;
  /** Validates (again), persists and applies; nothing changes unless it returns ok. */
  setApn(apn: string): Result;
  sensorPort(port: SensorPort): SensorPortSettings;
  setSensorPort(port: SensorPort, change: SensorPortChange): Result;
  sdi12Scan(done: (answer: Answer<Sdi12Sensor[]>) => void): void;
  /** Restarts the logger cleanly (the console has already said goodbye). */
  reboot(): void;
  readonly modem: ConsoleModem;
}
