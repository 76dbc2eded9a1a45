/** One line per status or site check, as the reference app prints them. */
import type { InstallerStatus, RadioSignal, SiteCheckResult } from "../../../modules/ble/installer-status.js";

function number(value: number | null, unit: string, digits: number): string {
  return value === null ? "?" : `${value.toFixed(digits)}${unit}`;
}

function radio(signal: RadioSignal): string {
  return `${signal.technology}/${signal.registration} ${number(signal.rssiDbm, "dBm", 0)}`;
}

export function formatStatus(status: InstallerStatus, wallClockMs: number): string {
  const last = status.lastTransmission;
  const sensors = status.sensors.map((s) => `ch${s.channel}=${s.value}${s.flags ? `(flags ${s.flags})` : ""}`).join(" ");
  return [
    `bat=${number(status.batteryV, "V", 3)}`,
    `t=${number(status.internalTemperatureC, "C", 1)}`,
    `rh=${number(status.internalHumidityPct, "%", 1)}`,
    `radio=${radio(status.signal)}`,
    `last-tx=${last.result}${last.timeMs === null ? "" : `@${Math.round((wallClockMs - last.timeMs) / 1000)}s ago`}`,
    `log=${number(status.log.fillPct, "%", 1)} unsent=${status.log.unsent ?? "?"}`,
    `fw=${status.firmwareVersion}`,
    sensors ? `sensors: ${sensors}` : "sensors: none",
  ].join(" ");
}

export function formatSiteCheck(result: SiteCheckResult): string {
  const radios = result.radios.length ? result.radios.map(radio).join(", ") : "no radio checked";
  const test = result.testTransmission;
  return `site check: ${radios}; test transmission ${test.result}${test.result === "none" ? "" : ` in ${test.durationMs} ms`}`;
}
