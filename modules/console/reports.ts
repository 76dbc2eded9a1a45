/**
 * The text of the console's informational replies, one "name: value" fact per line so that a
 * technician can read it and a script can grep it. Every line is redacted and made
 * terminal-safe by the console before it is printed.
 */
import type { HealthReport } from "../health/health-report.js";
import { formatFraming } from "./settings.js";
import type { ModemIdentity, Sdi12Sensor, SensorPort, SensorPortSettings, StatusReport } from "./services.js";
import { signal } from "./trace-events.js";

/** Fault counters shown by `status`; `diag` shows them all. */
const STATUS_FAULTS = 8;
/** Bounds `diag` so its reply stays well inside the output queue. */
const DIAG_LINES = 60;

export interface Identity {
  firmware: string;
  hardware: string;
  resetReason: string;
}

export function versionReport(identity: Identity): string[] {
  return [`firmware: ${identity.firmware}`, `hardware: ${identity.hardware}`];
}

export function statusReport(identity: Identity, health: HealthReport, clockIso: string, status: StatusReport): string[] {
  const { modem, sampling, uplink } = status;
  const faults = status.counters.filter(([, value]) => value > 0);
  const shown = faults.slice(0, STATUS_FAULTS).map(([name, value]) => `${name}=${value}`);
  if (faults.length > STATUS_FAULTS) shown.push(`+${faults.length - STATUS_FAULTS} more (diag)`);
  return [
    `firmware: ${identity.firmware} (${identity.hardware})`,
    `uptime: ${health.uptimeS} s (reset: ${identity.resetReason})`,
    `battery: ${health.batteryV.toFixed(3)} V`,
    `enclosure: ${health.humidityPct.toFixed(1)} %RH, ${health.temperatureC.toFixed(1)} C`,
    `clock: ${clockIso} (${health.timeQuality})`,
    `modem: ${modem.state}`,
    `network: ${modem.registration}${modem.accessTechnology ? ` ${modem.accessTechnology}` : ""}` +
      `${modem.operator ? ` "${modem.operator}"` : ""}${signal(modem.rssiDbm)}`,
    `apn: ${status.apn || "(none)"}`,
    `sampling: ${sampling.channels} channels every ${sampling.intervalS} s, tick ${sampling.ticks}`,
    `uplink: ${uplink.lastResult}, ${uplink.unsentRecords} records unsent`,
    `faults: ${shown.length ? shown.join(", ") : "none"}`,
  ];
}

export function diagReport(
  identity: Identity,
  own: ReadonlyArray<readonly [string, string | number]>,
  status: StatusReport,
  extra: ReadonlyArray<readonly [string, string | number]>,
): string[] {
  const lines = [
    `reset: ${identity.resetReason}`,
    ...own.map(([name, value]) => `${name}: ${value}`),
    ...status.counters.map(([name, value]) => `counter ${name}: ${value}`),
    ...extra.map(([name, value]) => `${name}: ${value}`),
  ];
  if (lines.length <= DIAG_LINES) return lines;
  return [...lines.slice(0, DIAG_LINES - 1), `(${lines.length - DIAG_LINES + 1} more lines not shown)`];
}

export function modemIdentityReport(identity: ModemIdentity): string[] {
  const lines = [
    `modem: ${identity.manufacturer} ${identity.model}`,
    `modem firmware: ${identity.firmware}`,
    `imei: ${identity.imei}`,
  ];
  if (identity.iccid !== undefined) lines.push(`iccid: ${identity.iccid}`);
  return lines;
}

export function sensorPortReport(port: SensorPort, settings: SensorPortSettings): string {
  return `${port}: ${settings.baud} ${formatFraming(settings.framing)}` +
    `${settings.address !== undefined ? ` address ${settings.address}` : ""} timeout ${settings.timeoutMs} ms`;
}

export function sdi12Report(sensors: readonly Sdi12Sensor[]): string[] {
  if (!sensors.length) return ["sdi12: no sensors answered"];
  return [`sdi12: ${sensors.length} sensor${sensors.length === 1 ? "" : "s"}`, ...sensors.map((s) => `  ${s.address}: ${s.identification}`)];
}
