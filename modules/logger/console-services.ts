/**
 * The console's window on the logger (ConsoleServices), built from the real subsystems. Settings a
 * technician changes become a new configuration version through the ConfigStore, so they are
 * validated again, persisted atomically, reported to the server, and survive a reboot.
 */
import type { ConfigStore } from "../config/config-store.js";
import { apnProblem, type SensorPortConfig } from "../config/device-config.js";
import type {
  Answer, ConsoleModem, ConsoleServices, ModemIdentity, Result, Sdi12Sensor, SensorPort, SensorPortChange, SensorPortSettings, StatusReport,
} from "../console/services.js";
import type { LoggerStatus } from "./logger-status.js";
import { radioSignal } from "./installer-status.js";

export interface ConsoleServicesDeps {
  status: LoggerStatus;
  config: ConfigStore;
  modem: ConsoleModem;
  /** Applies new port settings to the running serial drivers without a reboot. */
  applySensorPort(port: SensorPort, settings: SensorPortConfig): void;
  sdi12Scan(done: (answer: Answer<Sdi12Sensor[]>) => void): void;
  reboot(): void;
}

type MutableDocument = Record<string, unknown> & { version: number };

function editDocument(config: ConfigStore, edit: (document: MutableDocument) => void): Result {
  const current = config.document();
  if (typeof current !== "object" || current === null || !config.config) return { ok: false, error: "no configuration to change" };
  const document = JSON.parse(JSON.stringify(current)) as MutableDocument;
  document.version = config.config.version + 1;
  edit(document);
  const applied = config.apply(document);
  return applied.ok ? { ok: true } : { ok: false, error: applied.problems.join("; ") };
}

function portSettings(settings: SensorPortConfig): SensorPortSettings {
  const out: SensorPortSettings = {
    baud: settings.baud,
    framing: { dataBits: settings.dataBits, parity: settings.parity, stopBits: settings.stopBits },
    timeoutMs: settings.timeoutMs,
  };
  if (settings.address !== undefined) out.address = settings.address;
  return out;
}

function changed(settings: SensorPortConfig, change: SensorPortChange): SensorPortConfig {
  switch (change.param) {
    case "baud": return { ...settings, baud: change.baud };
    case "framing": return { ...settings, ...change.framing };
    case "address": return { ...settings, address: change.address };
    case "timeout": return { ...settings, timeoutMs: change.timeoutMs };
  }
}

export function consoleServices(deps: ConsoleServicesDeps): ConsoleServices {
  const { status, config } = deps;
  return {
    status(): StatusReport {
      const modem = status.modem();
      const signal = radioSignal(status);
      const log = status.log();
      const sampling = status.sampling();
      const transmission = status.lastTransmission();
      const report: StatusReport = {
        modem: { state: modem.state, registration: signal.registration },
        apn: config.config?.apn ?? "(not configured)",
        sampling: { ticks: sampling.ticks, intervalS: minimumInterval(config), channels: sampling.channels },
        uplink: { lastResult: transmission.result, unsentRecords: log ? log.unsent : 0 },
        counters: status.counters.snapshot(),
      };
      if (signal.rssiDbm !== null) report.modem.rssiDbm = signal.rssiDbm;
      if (modem.operator) report.modem.operator = modem.operator;
      if (signal.technology !== "none") report.modem.accessTechnology = signal.technology;
      return report;
    },
    diag() {
      const modem = status.modem();
      const log = status.log();
      const rows: Array<readonly [string, string | number]> = [
        ["modem.stage", modem.stage],
        ["modem.next_recovery", modem.nextRecoveryStep],
        ["modem.last_error", modem.lastError ? `${modem.lastError.kind}: ${modem.lastError.detail}` : "none"],
        ["config.version", config.config?.version ?? 0],
        ["config.source", config.source],
        ["sampling.unsampled", status.sampling().unsampled.join(" ") || "none"],
      ];
      if (log) {
        rows.push(["log.fill_pct", Math.round(log.fill * 1000) / 10], ["log.unsent", log.unsent], ["log.overwritten", log.overwritten],
          ["log.refused", log.refused]);
      }
      return rows;
    },
    modemInfo(done: (answer: Answer<ModemIdentity>) => void): void {
      const modem = status.modem();
      if (!modem.firmware) {
        done({ ok: false, error: "the modem has not been up since boot; try `at ATI`" });
        return;
      }
      done({ ok: true, value: { manufacturer: "Quectel", model: "BG9x", firmware: modem.firmware, imei: "(use `at AT+GSN`)" } });
    },
    apn: () => config.config?.apn ?? "",
    setApn(apn: string): Result {
      const problem = apnProblem(apn);
      if (problem) return { ok: false, error: problem };
      return editDocument(config, (document) => { document.apn = apn; });
    },
    sensorPort(port: SensorPort): SensorPortSettings {
      const settings = config.config?.sensorPorts[port];
      return settings ? portSettings(settings) : { baud: 9600, framing: { dataBits: 8, parity: "none", stopBits: 1 }, timeoutMs: 1000 };
    },
    setSensorPort(port: SensorPort, change: SensorPortChange): Result {
      const current = config.config?.sensorPorts[port];
      if (!current) return { ok: false, error: "no configuration to change" };
      const next = changed(current, change);
      const result = editDocument(config, (document) => {
        const ports = (document.sensorPorts ?? {}) as Record<string, unknown>;
        ports[port] = next;
        document.sensorPorts = ports;
      });
      if (result.ok) deps.applySensorPort(port, next);
      return result;
    },
    sdi12Scan: (done) => deps.sdi12Scan(done),
    reboot: () => deps.reboot(),
    modem: deps.modem,
  };
}

function minimumInterval(config: ConfigStore): number {
  const channels = config.config?.sampling.channels ?? [];
  return channels.length ? Math.min(...channels.map((channel) => channel.intervalS)) : 0;
}
