/**
 * One simulated logger in its world, all in virtual time and free of Node: the board with the
 * example site's sensors, the simulated BG95 on the in-memory cellular network, and the server
 * (broker, HTTPS endpoint, receiver, landing). The logger is provisioned and configured in
 * storage as at manufacture, then runs the data-path firmware (logger-firmware.ts).
 */
import type { OverflowPolicy, Transport } from "../../../modules/config/device-config.js";
import { ConfigStore } from "../../../modules/config/config-store.js";
import { writeProvisioning } from "../../../modules/config/provisioning.js";
import { SimBoard, type Firmware } from "../board.js";
import { SimulatedBg95 } from "../modem/bg95-simulator.js";
import { MemoryNetwork } from "../modem/memory-network.js";
import type { ServerTlsPolicy } from "../modem/tls-policy.js";
import { SeededRandom } from "../seeded-random.js";
import type { IngestListener } from "../server/ingest.js";
import type { DeviceAccount } from "../server/receiver.js";
import { loggerFirmware, type LoggerFirmwareOptions, type LoggerParts } from "./logger-firmware.js";
import { MemoryServer } from "./memory-server.js";
import { attachSiteSources, type SiteSources } from "./site-sources.js";

/** Stand-in for the CA's PEM: the in-memory TLS model compares it, it does not parse it. */
export const SIM_CA_PEM = "-----BEGIN CERTIFICATE-----\nDATALOGGER-SIM-CA\n-----END CERTIFICATE-----\n";
export const SIM_BROKER = Object.freeze({ host: "broker.datalogger.test", port: 8883 });
export const SIM_HTTPS = Object.freeze({ host: "ingest.datalogger.test", port: 443 });
const SIM_TLS: ServerTlsPolicy = {
  issuerPem: SIM_CA_PEM, keyType: "ecdsa", suites: [0xc02b, 0xc023, 0xc02c], versions: ["TLSv1.2", "TLSv1.3"],
  names: [SIM_BROKER.host, SIM_HTTPS.host],
};
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 2, 2);

/** A device account with a password drawn from the seed (each simulated device has its own). */
export function simAccount(seed: string, deviceId = 1001): DeviceAccount {
  const random = new SeededRandom(`${seed}:account:${deviceId}`);
  let password = "";
  for (let i = 0; i < 16; i++) password += (random.nextUint32() & 0xff).toString(16).padStart(2, "0");
  return { deviceId, username: `logger-${deviceId}`, password };
}

export interface DeviceDocumentOptions {
  transport?: Transport;
  intervalS?: number;
  logPolicy?: OverflowPolicy;
  version?: number;
}

/** A configuration document (modules/config/device-config.ts) for the simulated server. */
export function simDeviceDocument(sampling: unknown, options: DeviceDocumentOptions = {}): Record<string, unknown> {
  const transport = options.transport ?? "mqtt";
  const server = transport === "mqtt" ? SIM_BROKER : SIM_HTTPS;
  return {
    version: options.version ?? 1,
    sampling,
    uplink: { transport, host: server.host, port: server.port, cipherSuite: 0xc02b, intervalS: options.intervalS ?? 3600, revertAfterFailedSessions: 3 },
    apn: "iot.example",
    logPolicy: options.logPolicy ?? "drop-oldest",
  };
}

export interface SimWorldOptions {
  seed: string;
  /** Days the site's weather and events are scripted for. */
  days: number;
  /** The configuration document the logger is set up with. */
  document: Record<string, unknown>;
  flashBlocks?: number;
  epochMs?: number;
  rtcDriftPpm?: number;
  landing?: IngestListener;
  firmware?: LoggerFirmwareOptions;
  /** Another firmware than the data-path one (the composed firmware of modules/main.ts). */
  boot?: Firmware;
  trace?(line: string): void;
}

export class SimWorld {
  readonly board: SimBoard;
  readonly modem: SimulatedBg95;
  readonly network: MemoryNetwork;
  readonly server: MemoryServer;
  readonly account: DeviceAccount;
  readonly sources: SiteSources;
  /** The parts of the current boot (data-path firmware only). */
  parts: LoggerParts | undefined;
  readonly #firmware: Firmware;

  constructor(options: SimWorldOptions) {
    const board = new SimBoard({
      name: "logger-sim", seed: options.seed, flash: { blocks: options.flashBlocks ?? 256 },
      epochMs: options.epochMs ?? DEFAULT_EPOCH_MS, rtcDriftPpm: options.rtcDriftPpm ?? 0, trace: options.trace,
    });
    this.board = board;
    this.account = simAccount(options.seed);
    this.network = new MemoryNetwork(board.scheduler);
    this.server = new MemoryServer(this.network, board.scheduler, {
      broker: SIM_BROKER, https: SIM_HTTPS, tls: SIM_TLS, devices: [this.account], listener: options.landing,
      now: () => board.trueTime(), trace: options.trace,
    });
    this.modem = SimulatedBg95.attach(board, this.network, { seed: `${options.seed}:bg95` });
    this.sources = attachSiteSources(board, options.seed, options.days);
    writeProvisioning(board.storage, {
      deviceId: this.account.deviceId, username: this.account.username, password: this.account.password,
      caCertificate: new TextEncoder().encode(SIM_CA_PEM),
    });
    const applied = new ConfigStore(board.storage, board.pinMap).apply(options.document);
    if (!applied.ok) throw new Error(`the simulated logger's configuration is invalid: ${applied.problems.join("; ")}`);
    const firmwareOptions = options.firmware ?? {};
    this.#firmware = options.boot ?? loggerFirmware({
      ...firmwareOptions,
      onBoot: (parts) => {
        this.parts = parts;
        firmwareOptions.onBoot?.(parts);
      },
    });
  }

  start(): void {
    this.board.start(this.#firmware);
  }
}
