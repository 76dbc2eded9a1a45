/**
 * The logger's data path as one firmware, for the simulated world: configuration and provisioning
 * from storage, the ring log, the sampling engine with its serial sensors, the modem session and
 * the uplink agent, wired as modules/main.ts wires them (without the console and BLE). Tests and benchmarks reach the parts of each boot through
 * `onBoot`, and may see every sample on its way into the log through `tap`.
 */
import { ConfigStore } from "../../../modules/config/config-store.js";
import { readProvisioning } from "../../../modules/config/provisioning.js";
import { ModemSession } from "../../../drivers/modem/session/modem-session.js";
import { HealthCounters } from "../../../modules/health/counters.js";
import { SerialSensors } from "../../../modules/logger/serial-sensors.js";
import { RingLog, type MountReport } from "../../../modules/log/ring-log.js";
import type { Platform } from "../../../modules/platform/platform.js";
import type { Sample, SampleSink } from "../../../modules/records/sample.js";
import { SamplingEngine } from "../../../modules/sampling/engine.js";
import { uplinkSettings } from "../../../modules/uplink/settings.js";
import { UplinkAgent, type TransmissionListener, type UpdateNotices, type UplinkTiming } from "../../../modules/uplink/uplink-agent.js";
import type { Firmware } from "../board.js";

export interface LoggerParts {
  platform: Platform;
  counters: HealthCounters;
  store: ConfigStore;
  log: RingLog;
  mount: MountReport;
  engine: SamplingEngine;
  session: ModemSession;
  /** Undefined on a logger that is not provisioned (it samples and logs, and never transmits). */
  agent: UplinkAgent | undefined;
}

export interface LoggerFirmwareOptions {
  /** A frame of samples is programmed this long after its first sample at the latest. */
  autoFlushMs?: number;
  timing?: Partial<UplinkTiming>;
  listener?: TransmissionListener;
  /** Takes update notices (the firmware updater in modules/main.ts); without it they are refused. */
  updates?: UpdateNotices;
  onBoot?(parts: LoggerParts): void;
  /** Sees each sample the log accepted, with the sequence number it got. */
  tap?(seq: number, sample: Sample): void;
}

export const DEFAULT_AUTO_FLUSH_MS = 30_000;

export function loggerFirmware(options: LoggerFirmwareOptions = {}): Firmware {
  return (platform) => {
    const counters = new HealthCounters();
    const store = new ConfigStore(platform.storage, platform.pins);
    const config = store.config;
    if (!config) {
      platform.trace(`logger: no valid configuration (${store.problems.join("; ") || "none stored"})`);
      return;
    }
    const { log, report } = RingLog.mount(platform.flash, {
      policy: config.logPolicy, counters, autoFlush: { timers: platform.timers, afterMs: options.autoFlushMs ?? DEFAULT_AUTO_FLUSH_MS },
    });
    for (const repair of report.repairs) platform.trace(`log: ${repair}`);
    const tap = options.tap;
    const sink: SampleSink = tap ? { append: (sample) => { const stored = log.append(sample); if (stored) tap(log.lastSeq, sample); return stored; } } : log;
    const session = new ModemSession(platform, { counters });
    const { provisioning, missing } = readProvisioning(platform.storage);
    if (!provisioning) platform.trace(`logger: not provisioned (${missing.join(", ")}): no transmissions`);
    const agent = provisioning ? new UplinkAgent({
      platform, settings: uplinkSettings(config, provisioning), log, modem: session, config: store, counters,
      timing: options.timing, listener: options.listener, updates: options.updates,
    }) : undefined;
    const serial = new SerialSensors(platform, counters, config.sensorPorts);
    const engine = new SamplingEngine({ platform, config: config.sampling, sink, counters, serialReaders: serial.readers });
    engine.onException(() => agent?.alarm());
    options.onBoot?.({ platform, counters, store, log, mount: report, engine, session, agent });
    engine.start();
    agent?.start();
  };
}
