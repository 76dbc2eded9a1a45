import type { Platform } from "../platform/platform.js";

/** One reading of the board's own condition. */
export interface HealthReport {
  uptimeS: number;
  batteryV: number;
  humidityPct: number;
  temperatureC: number;
  timeQuality: string;
}

export function readHealth(platform: Platform): HealthReport {
  return {
    uptimeS: Math.floor(platform.clock.monotonic() / 1000),
    batteryV: round(platform.health.batteryVolts(), 3),
    humidityPct: round(platform.health.internalHumidity(), 1),
    temperatureC: round(platform.health.internalTemperature(), 1),
    timeQuality: platform.clock.quality,
  };
}

/** The trace line a technician sees: fixed order, `key=value`, nothing secret. */
export function formatHealth(report: HealthReport): string {
  return `health up=${report.uptimeS}s bat=${report.batteryV.toFixed(3)}V rh=${report.humidityPct.toFixed(1)}% ` +
    `t=${report.temperatureC.toFixed(1)}C time=${report.timeQuality}`;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
