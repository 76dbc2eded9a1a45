/**
 * A simulated board with the simulated BG95 on its modem port and the firmware's ModemSession,
 * on the in-memory network with a broker and an HTTPS endpoint (or any other ModemNetwork): the
 * world of the modem tests (Node-free, so the same cases run inside XS).
 */
import { HealthCounters } from "../../../modules/health/counters.js";
import type { Platform } from "../../../modules/platform/platform.js";
import { ModemSession } from "../../../drivers/modem/session/modem-session.js";
import type { ModemSessionConfig } from "../../../drivers/modem/session/session-config.js";
import { utf8Bytes } from "../../../drivers/modem/at/text.js";
import { SimBoard } from "../../../hosts/sim/board.js";
import { SimulatedBg95, type SimulatedBg95Options } from "../../../hosts/sim/modem/bg95-simulator.js";
import type { MemoryBroker } from "../../../hosts/sim/modem/memory-broker.js";
import { MemoryNetwork, type MemoryHttpsServer } from "../../../hosts/sim/modem/memory-network.js";
import type { ServerTlsPolicy } from "../../../hosts/sim/modem/tls-policy.js";
import type { ModemNetwork } from "../../../hosts/sim/modem/modem-network.js";

/** Stand-ins for PEM files: the in-memory TLS model compares them, it does not parse them. */
export const TRUSTED_CA = "-----BEGIN CERTIFICATE-----\nTRUSTED-TEST-CA\n-----END CERTIFICATE-----\n";
export const OTHER_CA = "-----BEGIN CERTIFICATE-----\nSOME-OTHER-CA\n-----END CERTIFICATE-----\n";

export const BROKER = { host: "broker.example.net", port: 8883 };
export const HTTPS_SERVER = { host: "ingest.example.net", port: 443 };
export const DEVICE = { clientId: "logger-0042", username: "logger-0042", password: "pw-7f3a9c21e4b8d6f0" };
export const APN = { name: "iot.example", user: "iotuser", password: "apn-secret-51f2" };

export const MODERN_SERVER: ServerTlsPolicy = {
  issuerPem: TRUSTED_CA,
  keyType: "rsa",
  suites: [0xc02f, 0xc027, 0xc030],
  versions: ["TLSv1.2", "TLSv1.3"],
  names: [BROKER.host, HTTPS_SERVER.host],
};

export function mqttConfig(overrides: Partial<ModemSessionConfig> = {}): ModemSessionConfig {
  return { ...baseConfig(BROKER), transport: "mqtt", mqtt: { ...DEVICE, downlinkTopics: ["dl/logger-0042/#"] }, ...overrides };
}

export function httpsConfig(overrides: Partial<ModemSessionConfig> = {}): ModemSessionConfig {
  return { ...baseConfig(HTTPS_SERVER), transport: "https", ...overrides };
}

function baseConfig(server: { host: string; port: number }): Pick<ModemSessionConfig, "apn" | "server" | "tls"> {
  return { apn: { ...APN }, server: { ...server }, tls: { cipherSuite: 0xc02f, caCertificate: utf8Bytes(TRUSTED_CA) } };
}

/** A board with the simulated BG95 on its modem port and the firmware's ModemSession. */
export class ModemRig {
  readonly board: SimBoard;
  readonly modem: SimulatedBg95;
  readonly counters = new HealthCounters();
  readonly downlinks: Array<{ topic: string; payload: string }> = [];
  readonly states: string[] = [];
  platform!: Platform;
  session!: ModemSession;

  constructor(board: SimBoard, network: ModemNetwork, modem?: SimulatedBg95Options) {
    this.board = board;
    this.modem = SimulatedBg95.attach(board, network, modem);
    board.start((platform) => {
      this.platform = platform;
      this.session = new ModemSession(platform, { counters: this.counters });
      this.session.onDownlink = (topic, payload) => this.downlinks.push({ topic, payload: String.fromCharCode(...payload) });
      this.session.onStateChange = (state) => this.states.push(state);
    });
  }

  get now(): number {
    return this.board.scheduler.now;
  }

  run(ms: number): void {
    this.board.scheduler.runFor(ms);
  }

  /** Runs until `done()` holds, event by event, for at most `limitMs`; false when it never held. */
  runUntil(done: () => boolean, limitMs = 300_000): boolean {
    const end = this.now + limitMs;
    while (!done()) {
      if (this.now >= end) return false;
      const next = this.board.scheduler.nextTime();
      if (next === undefined) return done();
      this.board.scheduler.runUntil(Math.min(end, Math.max(next, this.now)));
    }
    return true;
  }

  /** Everything the session's AT transcript and the board's trace hold, as one text. */
  allLogs(): string {
    return this.session.transcript().map((e) => e.text).join("\n") + "\n" + this.board.traceLog.join("\n");
  }
}

export interface WorldOptions {
  seed?: number;
  modem?: SimulatedBg95Options;
  broker?: ServerTlsPolicy;
  https?: ServerTlsPolicy;
}

/** The rig on the in-memory network, with a broker and an HTTPS endpoint. */
export class ModemWorld extends ModemRig {
  readonly network: MemoryNetwork;
  readonly broker: MemoryBroker;
  readonly https: MemoryHttpsServer;

  constructor(options: WorldOptions = {}) {
    const board = new SimBoard({ seed: options.seed ?? 1 });
    const network = new MemoryNetwork(board.scheduler);
    super(board, network, options.modem);
    this.network = network;
    this.broker = network.addBroker(BROKER, { tls: options.broker ?? MODERN_SERVER, users: { [DEVICE.username]: DEVICE.password } });
    this.https = network.addHttpsServer(HTTPS_SERVER, {
      tls: options.https ?? MODERN_SERVER,
      handle: (call) => ({ status: 201, body: utf8Bytes(`{"stored":${call.body.length}}`) }),
    });
  }
}

export const text = utf8Bytes;
