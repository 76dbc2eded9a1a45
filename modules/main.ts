/**
 * Boots the logger on any platform: the hosts call `boot` with their platform object and keep
 * nothing else. Subsystems are started here in dependency order.
 */
import { formatHealth, readHealth } from "./health/health-report.js";
import type { Platform, TimerHandle } from "./platform/platform.js";
import { FIRMWARE_VERSION } from "./version.js";

export const HEALTH_TRACE_INTERVAL_MS = 60_000;

export interface Logger {
  readonly platform: Platform;
  stop(): void;
}

export function boot(platform: Platform): Logger {
  platform.trace(`boot ${platform.name} firmware ${FIRMWARE_VERSION} reset=${platform.resetReason} ` +
    `flash=${platform.flash.byteLength / 1024}KiB/${platform.flash.blockSize}B`);
  const healthTimer: TimerHandle = platform.timers.repeat(
    () => platform.trace(formatHealth(readHealth(platform))),
    HEALTH_TRACE_INTERVAL_MS,
  );
  return {
    platform,
    stop() {
      platform.timers.clear(healthTimer);
    },
  };
}
