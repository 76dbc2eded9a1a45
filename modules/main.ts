/**
 * Boots the logger on any platform: the hosts call `boot` with their platform object and keep
 * nothing else. This is the composition root: it reads the configuration and provisioning and
 * starts the subsystems in dependency order, handing each only the collaborators it needs.
 * The simulator's world runs this same composition (`startLogger` with its observation hooks).
 */
import { ModemSession } from "../drivers/modem/session/modem-session.js";
import { startInstallerService, type InstallerService } from "./ble/installer-service.js";
import { ConfigStore } from "./config/config-store.js";
import { readProvisioning } from "./config/provisioning.js";
import { startConsole, type Console } from "./console/console.js";
import type { ConsoleModem } from "./console/services.js";
import { HealthCounters } from "./health/counters.js";
import { formatHealth, readHealth } from "./health/health-report.js";
import { RingLog, type MountReport } from "./log/ring-log.js";
import { consoleServices } from "./logger/console-services.js";
import { installerStatusSource, radioSignal } from "./logger/installer-status.js";
import { LatestSamples } from "./logger/latest-samples.js";
import type { LoggerStatus } from "./logger/logger-status.js";
import { SerialSensors } from "./logger/serial-sensors.js";
import { LoggerSelfCheck } from "./logger/self-check.js";
import { SiteCheck } from "./logger/site-check.js";
import { WakeLocks } from "./logger/wake-locks.js";
import { ModemFirmwareUpdater } from "./ota/modem-dfota.js";
import { ModemImageSource } from "./ota/modem-image-source.js";
import { runUpdaterSession } from "./ota/modem-update-guest.js";
import { OtaAgent } from "./ota/ota-agent.js";
import { trustedKeysFor, type BuildFlavour } from "./ota/vendor-keys.js";
import type { Platform, TimerHandle } from "./platform/platform.js";
import type { Sample, SampleSink } from "./records/sample.js";
import { SamplingEngine } from "./sampling/engine.js";
import { uplinkSettings } from "./uplink/settings.js";
import {
  UplinkAgent, type TransmissionEvent, type TransmissionListener, type UpdateNotices, type UplinkTiming,
} from "./uplink/uplink-agent.js";
import { FIRMWARE_VERSION } from "./version.js";

export const HEALTH_TRACE_INTERVAL_MS = 60_000;
/** A sample is durable in flash at most this long after it was taken (docs/log-format.md). */
export const LOG_FLUSH_MS = 30_000;

/** What a host may ask of a boot beyond the platform: the simulator observes, hardware does not. */
export interface LoggerOptions {
  autoFlushMs?: number;
  timing?: Partial<UplinkTiming>;
  listener?: TransmissionListener;
  /**
   * Which signing keys firmware updates may carry: "production" (the vendor key only) on real
   * boards; the simulator's update server signs with the development key.
   */
  buildFlavour?: BuildFlavour;
  /** Hands firmware-update notices to another updater than the built-in one (tests of the downlink). */
  updates?: UpdateNotices;
  /** Sees each sample the log accepted, with the sequence number it got. */
  tap?(seq: number, sample: Sample): void;
}

export interface Logger {
  readonly platform: Platform;
  readonly counters: HealthCounters;
  readonly store: ConfigStore;
  readonly log: RingLog;
  readonly mount: MountReport;
  readonly engine: SamplingEngine | undefined;
  readonly session: ModemSession;
  /** Undefined on a logger that is not provisioned or not configured: it samples and logs, and never transmits. */
  readonly agent: UplinkAgent | undefined;
  /** Undefined on a board without firmware slots (platform.update.slotBytes is 0). */
  readonly ota: OtaAgent | undefined;
  readonly console: Console;
  readonly ble: InstallerService | undefined;
  /** Stops sampling (saving pulse totals), makes the log durable and stops the timers. */
  stop(): void;
}

export function boot(platform: Platform): Logger {
  return startLogger(platform);
}

export function startLogger(platform: Platform, options: LoggerOptions = {}): Logger {
  platform.trace(`boot ${platform.name} firmware ${FIRMWARE_VERSION} reset=${platform.resetReason} ` +
    `flash=${platform.flash.byteLength / 1024}KiB/${platform.flash.blockSize}B`);
  const counters = new HealthCounters();
  const store = new ConfigStore(platform.storage, platform.pins);
  for (const problem of store.problems) platform.trace(`config: ${problem}`);
  const device = store.config;
  if (!device) platform.trace("config: none in force; the logger samples nothing until it is configured");

  const { log, report: mount } = RingLog.mount(platform.flash, {
    policy: device?.logPolicy ?? "drop-oldest",
    counters,
    autoFlush: { timers: platform.timers, afterMs: options.autoFlushMs ?? LOG_FLUSH_MS },
  });
  platform.trace(`log: ${mount.empty ? "new" : "resumed"} newest=${mount.newestSeq} acked=${mount.acked} read=${mount.bytesRead}B`);
  for (const repair of mount.repairs) platform.trace(`log: repaired ${repair}`);

  const tap = options.tap;
  const selfCheck = new LoggerSelfCheck();
  const logSink: SampleSink = {
    append: (sample) => {
      const stored = log.append(sample);
      if (stored) {
        selfCheck.onSample(sample);
        tap?.(log.lastSeq, sample);
      }
      return stored;
    },
  };
  const latest = new LatestSamples(logSink);
  const serial = new SerialSensors(platform, counters, device?.sensorPorts);
  const engine = device
    ? new SamplingEngine({ platform, config: device.sampling, sink: latest, counters, serialReaders: serial.readers })
    : undefined;
  const session = new ModemSession(platform, { counters });

  const { provisioning, missing } = readProvisioning(platform.storage);
  if (!provisioning) platform.trace(`uplink: not provisioned (${missing.join(", ")}): no transmissions`);
  let lastTransmission: { event: TransmissionEvent; timeMs: number } | undefined;
  const transmissions: TransmissionListener = {
    onTransmission(event) {
      lastTransmission = { event, timeMs: platform.clock.now() };
      console.emit({ kind: "transmission", ok: event.ok, records: event.records, detail: event.detail });
      siteCheck.onTransmission(event);
      selfCheck.onTransmission(event);
      options.listener?.onTransmission(event);
    },
  };
  const wakeLocks = new WakeLocks();
  // Only the cellular path reaches the updater: its notices come from the downlink, its sessions
  // are the uplink's; the console and BLE are never given it.
  const ota = platform.update.slotBytes > 0 ? new OtaAgent({
    platform,
    trust: trustedKeysFor(options.buildFlavour ?? "production"),
    source: new ModemImageSource(session),
    selfCheck,
    signal: () => session.health.signal,
    modem: new ModemFirmwareUpdater(session.modemUpdateAt, platform.timers),
    wakeLock: wakeLocks,
    counters,
    reboot: (reason) => {
      stop();
      platform.restart(reason);
    },
  }) : undefined;
  const agent = provisioning && device ? new UplinkAgent({
    platform, settings: uplinkSettings(device, provisioning), log, modem: session, config: store, counters,
    timing: options.timing, listener: transmissions, updates: options.updates ?? ota,
    guest: ota ? { runSession: (budgetMs, done) => runUpdaterSession(ota, session, budgetMs, () => done()) } : undefined,
  }) : undefined;
  engine?.onException(() => agent?.alarm());

  const status: LoggerStatus = {
    counters,
    modem: () => session.health,
    log: () => log.stats(),
    lastTransmission: () => lastTransmission
      ? { result: lastTransmission.event.ok ? "ok" : "failed", timeMs: lastTransmission.timeMs, records: lastTransmission.event.records }
      : { result: "none", timeMs: null, records: 0 },
    sampling: () => ({ ticks: latest.count, channels: device?.sampling.channels.length ?? 0, unsampled: engine?.unsampled ?? [] }),
    siteCheck: (done) => siteCheck.run(done),
  };
  const siteCheck = new SiteCheck(platform.timers, () => platform.clock.monotonic(), () => radioSignal(status),
    agent ? (reason) => agent.transmitNow(reason) : undefined);

  let healthTimer: TimerHandle | undefined;
  const stop = () => {
    platform.timers.clear(healthTimer);
    agent?.stop();
    engine?.stop();
    log.flush();
  };
  const consoleModem: ConsoleModem = {
    pause: (done) => session.pause(() => done({ ok: true })),
    resume: () => session.resume(),
    sendAt: (line, done) => session.sendAt(line, done),
  };
  const console = startConsole(platform, consoleServices({
    status,
    config: store,
    modem: consoleModem,
    applySensorPort: (port, settings) => serial.applyPort(port, settings),
    sdi12Scan: (done) => serial.sdi12Scan(done),
    reboot: () => {
      stop();
      platform.restart("console reboot");
    },
  }));
  const ble = startInstallerService(platform, installerStatusSource(platform, status, latest), { counters });

  ota?.start();
  engine?.start();
  agent?.start();
  healthTimer = platform.timers.repeat(() => platform.trace(formatHealth(readHealth(platform))), HEALTH_TRACE_INTERVAL_MS);
  return { platform, counters, store, log, mount, engine, session, agent, ota, console, ble, stop };
}
