/**
 * A simulated logger running only the installer service, plus a raw central that writes and
 * records bytes with no protocol logic of its own, so tests can play honest apps and attackers
 * alike. Node-free: the XS cases use it too.
 */
import { SimBoard } from "../../hosts/sim/board.js";
import type { CentralCallbacks, BleLink } from "../../hosts/sim/ble-link.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { p256KeyPair, type P256KeyPair } from "../../modules/crypto/p256.js";
import { fragmentMessage, Reassembler } from "../../modules/ble/fragments.js";
import { InstallerCharacteristic } from "../../modules/ble/gatt.js";
import { answerServerHello, clientHello, MessageType, type AppHandshake } from "../../modules/ble/handshake.js";
import { decodeResponse, encodeRequest, type InstallerRequest, type InstallerResponse } from "../../modules/ble/installer-messages.js";
import { pskSecrets, type PskSecrets } from "../../modules/ble/key-schedule.js";
import { RecordReader, RecordWriter } from "../../modules/ble/record-layer.js";
import { startInstallerService, type InstallerService, type InstallerServiceOptions } from "../../modules/ble/installer-service.js";
import type { InstallerStatus, InstallerStatusSource, SiteCheckResult } from "../../modules/ble/installer-status.js";
import { provisionPairingKey } from "../../modules/ble/pairing-key.js";
import { HealthCounters } from "../../modules/health/counters.js";

export const LOGGER_KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff);
export const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 13 + 5) & 0xff);

export const SAMPLE_STATUS: InstallerStatus = {
  batteryV: 3.612,
  internalTemperatureC: 21.4,
  internalHumidityPct: 38.5,
  signal: { technology: "lte-m", registration: "home", rssiDbm: -87 },
  lastTransmission: { result: "ok", timeMs: Date.UTC(2026, 0, 1, 0, 5) },
  log: { fillPct: 12.5, unsent: 42 },
  sensors: [
    { channel: 1, time: Date.UTC(2026, 0, 1, 0, 9), value: 4.25, flags: 0 },
    { channel: 7, time: Date.UTC(2026, 0, 1, 0, 9), value: -12.5, flags: 0x02 },
  ],
  firmwareVersion: "0.1.0",
};

export const SAMPLE_SITE_CHECK: SiteCheckResult = {
  radios: [
    { technology: "lte-m", registration: "home", rssiDbm: -85 },
    { technology: "nb-iot", registration: "searching", rssiDbm: null },
  ],
  testTransmission: { result: "ok", durationMs: 5300 },
};

/** The status subsystems would report; site checks finish when the test says so. */
export class FakeStatusSource implements InstallerStatusSource {
  current: InstallerStatus = SAMPLE_STATUS;
  statusCalls = 0;
  readonly pendingSiteChecks: Array<(result: SiteCheckResult) => void> = [];

  status(): InstallerStatus {
    this.statusCalls++;
    return this.current;
  }

  siteCheck(done: (result: SiteCheckResult) => void): void {
    this.pendingSiteChecks.push(done);
  }

  finishSiteCheck(result: SiteCheckResult = SAMPLE_SITE_CHECK): void {
    const done = this.pendingSiteChecks.shift();
    if (!done) throw new Error("no site check running");
    done(result);
  }
}

export interface LoggerUnderTest {
  board: SimBoard;
  source: FakeStatusSource;
  counters: HealthCounters;
  /** The service of the current boot. */
  service(): InstallerService;
  /** Runs virtual time. */
  run(ms: number): void;
}

/** `key: null` boots a logger that was never provisioned. */
export function startLogger(options: InstallerServiceOptions & { seed?: string; key?: Uint8Array | null } = {}): LoggerUnderTest {
  const board = new SimBoard({ seed: options.seed ?? "ble-logger" });
  if (options.key !== null) provisionPairingKey(board.storage, options.key ?? LOGGER_KEY);
  const source = new FakeStatusSource();
  const counters = new HealthCounters();
  let service: InstallerService | undefined;
  board.start((platform) => {
    service = startInstallerService(platform, source, { counters, ...options });
  });
  return {
    board,
    source,
    counters,
    service: () => {
      if (!service) throw new Error("installer service did not start");
      return service;
    },
    run: (ms) => board.scheduler.runFor(ms),
  };
}

/** A BLE central with no protocol logic: it sends whatever bytes it is told and records the rest. */
export class RawCentral {
  readonly notifications: Array<{ characteristic: string; value: Uint8Array }> = [];
  disconnects = 0;
  #reassemblers = new Map<string, Reassembler>();
  readonly messages: Array<{ characteristic: string; message: Uint8Array }> = [];

  constructor(readonly link: BleLink) {}

  connect(): boolean {
    this.#reassemblers.clear();
    const callbacks: CentralCallbacks = {
      onNotification: (characteristic, value) => {
        this.notifications.push({ characteristic, value });
        let reassembler = this.#reassemblers.get(characteristic);
        if (!reassembler) this.#reassemblers.set(characteristic, reassembler = new Reassembler());
        const message = reassembler.push(value);
        if (message) this.messages.push({ characteristic, message });
      },
      onDisconnected: () => { this.disconnects++; },
    };
    return this.link.connect(callbacks);
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /** Writes one protocol message, fragmented to the link's MTU. */
  send(characteristic: string, message: Uint8Array): void {
    for (const fragment of fragmentMessage(message, this.link.mtu)) this.link.write(characteristic, fragment);
  }

  /** Writes one raw GATT value, no framing. */
  writeRaw(characteristic: string, value: Uint8Array): void {
    this.link.write(characteristic, value);
  }

  /** The last whole message received on `characteristic`. */
  last(characteristic: string = InstallerCharacteristic.notification): Uint8Array | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].characteristic === characteristic) return this.messages[i].message;
    return undefined;
  }

  disconnect(): void {
    this.link.disconnect();
  }
}

export function appRandom(label: string): SeededRandom {
  return new SeededRandom(`app:${label}`);
}

/** An honest app's side of the protocol, one step at a time, so tests can tamper between steps. */
export class AppSteps {
  readonly secrets: PskSecrets;
  readonly ephemeral: P256KeyPair;
  readonly hello: Uint8Array;
  handshake: AppHandshake | undefined;
  writer: RecordWriter | undefined;
  reader: RecordReader | undefined;

  constructor(key: Uint8Array = LOGGER_KEY, readonly random: SeededRandom = appRandom("steps")) {
    this.secrets = pskSecrets(key);
    this.ephemeral = p256KeyPair(random);
    this.hello = clientHello(this.secrets, this.ephemeral);
  }

  /** ClientFinished for this ServerHello; sets up the record layer. */
  finish(serverHello: Uint8Array): Uint8Array {
    this.handshake = answerServerHello(this.secrets, this.hello, this.ephemeral, serverHello);
    this.writer = new RecordWriter(this.handshake.keys.appToDevice, MessageType.AppRecord, this.random);
    this.reader = new RecordReader(this.handshake.keys.deviceToApp, MessageType.DeviceRecord);
    return this.handshake.clientFinished;
  }

  request(request: InstallerRequest): Uint8Array {
    return this.writer!.seal(encodeRequest(request));
  }

  response(record: Uint8Array): InstallerResponse {
    return decodeResponse(this.reader!.open(record));
  }
}

/** Connects `central` and completes an honest handshake; throws if the logger does not answer. */
export function establish(logger: LoggerUnderTest, central: RawCentral, steps: AppSteps = new AppSteps()): AppSteps {
  if (!central.connect()) throw new Error("logger not advertising");
  central.send(InstallerCharacteristic.handshake, steps.hello);
  logger.run(100);
  const serverHello = central.last(InstallerCharacteristic.handshake);
  if (!serverHello) throw new Error("no ServerHello");
  central.send(InstallerCharacteristic.handshake, steps.finish(serverHello));
  logger.run(100);
  return steps;
}

/** Lets the logger's backoff and any pending disconnect run out, so the next connection is served. */
export function settle(logger: LoggerUnderTest): void {
  logger.run(100);
  logger.run(logger.service().backoffRemainingMs + 1);
}
