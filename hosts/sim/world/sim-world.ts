/**
 * One simulated logger at the example site (the board with the site's sensors and the simulated
 * BG95), provisioned and configured in storage as at manufacture and running the data-path
 * firmware (logger-firmware.ts); and, free of Node and all in virtual time, that logger with the
 * server (broker, HTTPS endpoint, receiver, landing) on the in-memory cellular network.
 */
import type { OverflowPolicy, Transport } from "../../../modules/config/device-config.js";
import { ConfigStore } from "../../../modules/config/config-store.js";
import { writeProvisioning } from "../../../modules/config/provisioning.js";
import type { KeyValueStore, PinMap } from "../../../modules/platform/platform.js";
import { SimBoard, type Firmware, type SimBoardOptions } from "../board.js";
import { SimulatedBg95 } from "../modem/bg95-simulator.js";
import { MemoryNetwork } from "../modem/memory-network.js";
import type { ModemNetwork } from "../modem/modem-network.js";
import type { ServerTlsPolicy } from "../modem/tls-policy.js";
import { Scheduler } from "../scheduler.js";
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

/**
 * Provisions the logger (identity, credentials, CA) and sets up `document` as its configuration,
 * unless the stored one is already that document. A stored configuration of a higher version is
 * replaced by the document under the next version. Returns the version in force.
 */
export function setUpLogger(storage: KeyValueStore, pins: PinMap, account: DeviceAccount, caPem: string, document: Record<string, unknown>): number {
  writeProvisioning(storage, {
    deviceId: account.deviceId, username: account.username, password: account.password, caCertificate: new TextEncoder().encode(caPem),
  });
  const store = new ConfigStore(storage, pins);
  const current = store.config?.version ?? 0;
  const stored = store.document();
  const same = (version: number) => JSON.stringify({ ...document, version }) === JSON.stringify(stored);
  if (same(current)) return current;
  const version = Math.max(current + 1, Number(document.version) || 1);
  const applied = store.apply({ ...document, version });
  if (!applied.ok) throw new Error(`the simulated logger's configuration is invalid:\n  ${applied.problems.join("\n  ")}`);
  // Set up by hand, not changed by the server: nothing to confirm or revert.
  store.confirm();
  return version;
}

export interface SimLoggerOptions {
  board: SimBoardOptions;
  network: ModemNetwork;
  account: DeviceAccount;
  caPem: string;
  document: Record<string, unknown>;
  /** Seed and length of the site's scripted weather and events. */
  siteSeed: string;
  days: number;
  firmware?: LoggerFirmwareOptions;
  /** Another firmware than the data-path one (the composed firmware of modules/main.ts). */
  boot?: Firmware;
}

/** A simulated logger at the example site, with its modem on any network. */
export class SimLogger {
  readonly board: SimBoard;
  readonly modem: SimulatedBg95;
  readonly account: DeviceAccount;
  readonly sources: SiteSources;
  /** The parts of the current boot (data-path firmware only). */
  parts: LoggerParts | undefined;
  readonly #firmware: Firmware;

  constructor(options: SimLoggerOptions) {
    const board = new SimBoard(options.board);
    this.board = board;
    this.account = options.account;
    this.modem = SimulatedBg95.attach(board, options.network, { seed: `${options.siteSeed}:bg95` });
    this.sources = attachSiteSources(board, options.siteSeed, options.days);
    setUpLogger(board.storage, board.pinMap, options.account, options.caPem, options.document);
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
  boot?: Firmware;
  /** Board settings beyond these (a flash image, stored settings, a CSPRNG). */
  board?: Omit<SimBoardOptions, "scheduler" | "seed" | "epochMs" | "rtcDriftPpm" | "trace">;
  /** The device account (default: one drawn from the seed). */
  account?: DeviceAccount;
  trace?(line: string): void;
}

/** The logger and the server on the in-memory network, all in virtual time. */
export class SimWorld extends SimLogger {
  readonly server: MemoryServer;
  /** The cellular network, for more servers (an update server) in a test. */
  readonly network: MemoryNetwork;

  constructor(options: SimWorldOptions) {
    const scheduler = new Scheduler();
    const network = new MemoryNetwork(scheduler);
    const account = options.account ?? simAccount(options.seed);
    const epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    super({
      board: {
        name: "logger-sim", flash: { blocks: options.flashBlocks ?? 256 }, ...options.board,
        // A board given a CSPRNG draws its secrets from it; otherwise everything follows the seed.
        scheduler, seed: options.board?.random ? undefined : options.seed, epochMs, rtcDriftPpm: options.rtcDriftPpm ?? 0, trace: options.trace,
      },
      network, account, caPem: SIM_CA_PEM, document: options.document, siteSeed: options.seed, days: options.days,
      firmware: options.firmware, boot: options.boot,
    });
    this.network = network;
    this.server = new MemoryServer(network, scheduler, {
      broker: SIM_BROKER, https: SIM_HTTPS, tls: SIM_TLS, devices: [account], listener: options.landing,
      now: () => epochMs + scheduler.now, trace: options.trace,
    });
  }
}
