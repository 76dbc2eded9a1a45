/**
 * Gathers what the BLE installer app may see from the subsystems that know it. Status only:
 * no stored records, no configuration secrets.
 */
import type { InstallerStatus, InstallerStatusSource, RadioSignal, Registration, SiteCheckResult } from "../ble/installer-status.js";
import type { Platform } from "../platform/platform.js";
import { FIRMWARE_VERSION } from "../version.js";
import type { LatestSamples } from "./latest-samples.js";
import type { LoggerStatus } from "./logger-status.js";

const REGISTRATION: Record<string, Registration> = {
  home: "home", roaming: "roaming", searching: "searching", denied: "denied", "not registered": "not-registered",
};

export function radioSignal(status: LoggerStatus): RadioSignal {
  const modem = status.modem();
  const registered = modem.registration.eps ?? modem.registration.gprs ?? modem.registration.cs;
  const rat = modem.signal.rat;
  return {
    technology: rat === "eMTC" ? "lte-m" : rat === "NBIoT" ? "nb-iot" : rat === "GSM" ? "gsm" : "none",
    registration: registered ? REGISTRATION[registered] ?? "unknown" : "unknown",
    rssiDbm: modem.signal.rssiDbm ?? null,
  };
}

export function installerStatusSource(platform: Platform, status: LoggerStatus, latest: LatestSamples): InstallerStatusSource {
  return {
    status(): InstallerStatus {
      const log = status.log();
      const transmission = status.lastTransmission();
      return {
        batteryV: platform.health.batteryVolts(),
        internalTemperatureC: platform.health.internalTemperature(),
        internalHumidityPct: platform.health.internalHumidity(),
        signal: radioSignal(status),
        lastTransmission: { result: transmission.result, timeMs: transmission.timeMs },
        log: { fillPct: log ? Math.round(log.fill * 1000) / 10 : null, unsent: log ? log.unsent : null },
        sensors: latest.all(),
        firmwareVersion: FIRMWARE_VERSION,
      };
    },
    siteCheck(done: (result: SiteCheckResult) => void): void {
      status.siteCheck(done);
    },
  };
}
