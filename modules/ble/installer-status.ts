/**
 * What the installer sees, and the one interface the BLE service needs from the rest of the
 * firmware. Health, modem, log, sampling and uplink each fill their part; the lead wires a source
 * that gathers them. `null` means "not known yet" (e.g. no registration attempt since boot).
 */
import type { Sample } from "../records/sample.js";

export type RadioTechnology = "none" | "lte-m" | "nb-iot" | "gsm";
export type Registration = "unknown" | "not-registered" | "searching" | "home" | "roaming" | "denied";
export type TransmissionResult = "none" | "ok" | "failed";

export interface RadioSignal {
  technology: RadioTechnology;
  registration: Registration;
  rssiDbm: number | null;
}

export interface InstallerStatus {
  batteryV: number | null;
  internalTemperatureC: number | null;
  internalHumidityPct: number | null;
  signal: RadioSignal;
  lastTransmission: { result: TransmissionResult; timeMs: number | null };
  log: { fillPct: number | null; unsent: number | null };
  /** Latest value of each channel, as the sampling engine produced it. */
  sensors: readonly Sample[];
  firmwareVersion: string;
}

/** An installer site check: signal per radio technology, then one test transmission. */
export interface SiteCheckResult {
  radios: readonly RadioSignal[];
  testTransmission: { result: TransmissionResult; durationMs: number };
}

export interface InstallerStatusSource {
  /** A snapshot, synchronously (it must not block: it runs inside a BLE callback). */
  status(): InstallerStatus;
  /** Starts a site check and calls `done` exactly once when it ends, however it ends. */
  siteCheck(done: (result: SiteCheckResult) => void): void;
}
