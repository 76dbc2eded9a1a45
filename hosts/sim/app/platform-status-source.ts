/**
 * A status source built from what the platform alone knows (battery, internal climate, firmware
 * version), until the lead wires the modem, log, sampling and uplink subsystems in. Everything
 * else reads as unknown, and a site check reports that no radio was checked.
 */
import type { InstallerStatus, InstallerStatusSource, SiteCheckResult } from "../../../modules/ble/installer-status.js";
import type { Platform } from "../../../modules/platform/platform.js";
import { FIRMWARE_VERSION } from "../../../modules/version.js";

export function platformStatusSource(platform: Platform): InstallerStatusSource {
  return {
    status(): InstallerStatus {
      return {
        batteryV: platform.health.batteryVolts(),
        internalTemperatureC: platform.health.internalTemperature(),
        internalHumidityPct: platform.health.internalHumidity(),
        signal: { technology: "none", registration: "unknown", rssiDbm: null },
        lastTransmission: { result: "none", timeMs: null },
        log: { fillPct: null, unsent: null },
        sensors: [],
        firmwareVersion: FIRMWARE_VERSION,
      };
    },
    siteCheck(done: (result: SiteCheckResult) => void): void {
      platform.timers.set(() => done({ radios: [], testTransmission: { result: "none", durationMs: 0 } }), 0);
    },
  };
}
