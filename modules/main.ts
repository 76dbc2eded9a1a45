/**
 * Boots the logger on any platform: the hosts call `boot` with their platform object and keep
 * nothing else. This is the composition root: it reads the configuration and starts the
 * subsystems in dependency order, handing each only the collaborators it needs.
 */
import { startInstallerService, type InstallerService } from "./ble/installer-service.js";
import { ConfigStore } from "./config/config-store.js";
import type { DeviceConfig } from "./config/device-config.js";
import { startConsole, type Console } from "./console/console.js";
import type { ConsoleModem } from "./console/services.js";
import { HealthCounters } from "./health/counters.js";
import { formatHealth, readHealth } from "./health/health-report.js";
import { RingLog } from "./log/ring-log.js";
import { consoleServices } from "./logger/console-services.js";
import { installerStatusSource } from "./logger/installer-status.js";
import { LatestSamples } from "./logger/latest-samples.js";
import type { LoggerStatus } from "./logger/logger-status.js";
import { SerialSensors } from "./logger/serial-sensors.js";
import type { Platform, TimerHandle } from "./platform/platform.js";
import { SamplingEngine } from "./sampling/engine.js";
import { FIRMWARE_VERSION } from "./version.js";
import { ModemSession } from "../drivers/modem/session/modem-session.js";

export const HEALTH_TRACE_INTERVAL_MS = 60_000;
/** A sample is durable in flash at most this long after it was taken. */
export const LOG_FLUSH_MS = 60_000;

export interface Logger {
  readonly platform: Platform;
  readonly counters: HealthCounters;
  readonly config: ConfigStore;
  readonly log: RingLog;
  readonly sampling: SamplingEngine | undefined;
  readonly modem: ModemSession;
  readonly console: Console;
  readonly ble: InstallerService | undefined;
  /** Stops sampling (saving pulse totals), makes the log durable and stops the timers. */
  stop(): void;
}

export function boot(platform: Platform): Logger {
  platform.trace(`boot ${platform.name} firmware ${FIRMWARE_VERSION} reset=${platform.resetReason} ` +
    `flash=${platform.flash.byteLength / 1024}KiB/${platform.flash.blockSize}B`);
  const counters = new HealthCounters();
  const config = new ConfigStore(platform.storage, platform.pins);
  for (const problem of config.problems) platform.trace(`config: ${problem}`);
  const device: DeviceConfig | undefined = config.config;
  if (!device) platform.trace("config: none in force; the logger samples nothing until it is configured");

  const { log, report } = RingLog.mount(platform.flash, {
    policy: device?.logPolicy ?? "drop-oldest",
    counters,
    autoFlush: { timers: platform.timers, afterMs: LOG_FLUSH_MS },
  });
  platform.trace(`log: ${report.empty ? "new" : "resumed"} newest=${report.newestSeq} acked=${report.acked} read=${report.bytesRead}B`);
  for (const repair of report.repairs) platform.trace(`log: repaired ${repair}`);

  const latest = new LatestSamples(log);
  const serial = new SerialSensors(platform, counters, device?.sensorPorts);
  const sampling = device
    ? new SamplingEngine({ platform, config: device.sampling, sink: latest, counters, serialReaders: serial.readers })
    : undefined;
  const modem = new ModemSession(platform, { counters });

  const status: LoggerStatus = {
    counters,
    modem: () => modem.health,
    log: () => log.stats(),
    lastTransmission: () => ({ result: "none", timeMs: null, records: 0 }),
    sampling: () => ({ ticks: latest.count, channels: device?.sampling.channels.length ?? 0, unsampled: sampling?.unsampled ?? [] }),
    siteCheck: (done) => done({ radios: [], testTransmission: { result: "none", durationMs: 0 } }),
  };

  let healthTimer: TimerHandle | undefined;
  const stop = () => {
    platform.timers.clear(healthTimer);
    sampling?.stop();
    log.flush();
  };
  const consoleModem: ConsoleModem = {
    pause: (done) => modem.pause(() => done({ ok: true })),
    resume: () => modem.resume(),
    sendAt: (line, done) => modem.sendAt(line, done),
  };
  const console = startConsole(platform, consoleServices({
    status,
    config,
    modem: consoleModem,
    applySensorPort: (port, settings) => serial.applyPort(port, settings),
    sdi12Scan: (done) => serial.sdi12Scan(done),
    reboot: () => {
      stop();
      platform.restart("console reboot");
    },
  }));
  const ble = startInstallerService(platform, installerStatusSource(platform, status, latest), { counters });

  sampling?.start();
  healthTimer = platform.timers.repeat(() => platform.trace(formatHealth(readHealth(platform))), HEALTH_TRACE_INTERVAL_MS);
  return { platform, counters, config, log, sampling, modem, console, ble, stop };
}
