/**
 * The device side of the installer session (docs/ble-session.md): a GATT peripheral that stays
 * silent until an app proves it holds this logger's pairing key, then answers status requests
 * and runs site checks over encrypted records.
 *
 *   advertising ──connect──▶ awaiting-hello ──ClientHello ok──▶ awaiting-finished
 *        ▲                        │                                  │ ClientFinished ok
 *        │                        ▼ any failure, timeout             ▼
 *        └──disconnected── dropping ◀──any failure, idle, close── established
 *
 * Every failure (bad length, MAC, padding, sequence, wrong state, timeout) ends the same way: the
 * device disconnects without a word. Failed handshakes start a backoff (handshake-backoff.ts).
 */
import { FormatError } from "../codec/byte-reader.js";
import { p256KeyPair } from "../crypto/p256.js";
import type { HealthCounters } from "../health/counters.js";
import type { Platform, TimerHandle } from "../platform/platform.js";
import { fragmentMessage, Reassembler } from "./fragments.js";
import { ATT_DEFAULT_MTU, effectiveMtu, InstallerCharacteristic } from "./gatt.js";
import {
  answerClientHello, CLIENT_FINISHED_BYTES, CLIENT_HELLO_BYTES, helloBinder, MessageType, verifyClientFinished,
  type DeviceHandshake,
} from "./handshake.js";
import { DEFAULT_BACKOFF, HandshakeBackoff, type BackoffPolicy } from "./handshake-backoff.js";
import { decodeRequest, encodeResponse, type InstallerResponse } from "./installer-messages.js";
import type { InstallerStatusSource, SiteCheckResult } from "./installer-status.js";
import { pskSecrets, wipeSessionKeys, type PskSecrets } from "./key-schedule.js";
import { readPairingKey } from "./pairing-key.js";
import { RecordReader, RecordWriter } from "./record-layer.js";
import { ReplayMemory } from "./replay-memory.js";
import { SessionError, type DropReason } from "./session-error.js";

export type InstallerServiceState = "advertising" | "awaiting-hello" | "awaiting-finished" | "established" | "dropping" | "stopped";

export interface InstallerServiceOptions {
  /** Advertised name. */
  deviceName?: string;
  /** From connection to ClientFinished; generous because ECDH on XS on a microcontroller is slow. */
  handshakeTimeoutMs?: number;
  /** An authenticated session without a request for this long is dropped. */
  idleTimeoutMs?: number;
  backoff?: BackoffPolicy;
  counters?: HealthCounters;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

interface Session {
  readonly id: number;
  mtu: number;
  reassembler: Reassembler;
  handshake?: DeviceHandshake;
  reader?: RecordReader;
  writer?: RecordWriter;
  timer?: TimerHandle;
}

/**
 * Starts advertising the installer service. Returns undefined (and traces why) when the logger
 * has no pairing key: an unprovisioned logger offers no BLE service at all.
 */
export function startInstallerService(
  platform: Platform, source: InstallerStatusSource, options: InstallerServiceOptions = {},
): InstallerService | undefined {
  const pairingKey = readPairingKey(platform.storage);
  if (!pairingKey) {
    platform.trace("ble: no pairing key provisioned; installer service off");
    return undefined;
  }
  const secrets = pskSecrets(pairingKey);
  pairingKey.fill(0);
  return new InstallerService(platform, source, secrets, options);
}

export class InstallerService {
  readonly #platform: Platform;
  readonly #source: InstallerStatusSource;
  readonly #secrets: PskSecrets;
  readonly #handshakeTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #counters: HealthCounters | undefined;
  readonly #backoff: HandshakeBackoff;
  readonly #replays = new ReplayMemory();
  #state: InstallerServiceState = "advertising";
  #session: Session | undefined;
  #connection = -1;
  #sessionIds = 0;
  #siteCheckRunning = false;

  constructor(platform: Platform, source: InstallerStatusSource, secrets: PskSecrets, options: InstallerServiceOptions = {}) {
    this.#platform = platform;
    this.#source = source;
    this.#secrets = secrets;
    this.#handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#counters = options.counters;
    this.#backoff = new HandshakeBackoff(options.backoff ?? DEFAULT_BACKOFF);
    const deviceName = options.deviceName ?? "datalogger";
    platform.ble.start(deviceName, {
      onConnected: (connection) => this.#guard(() => this.#connected(connection)),
      onDisconnected: (connection) => this.#guard(() => this.#disconnected(connection)),
      onMTUExchanged: (mtu) => { if (this.#session) this.#session.mtu = effectiveMtu(mtu); },
      onCharacteristicWritten: (characteristic, value) => this.#guard(() => this.#written(characteristic, value)),
    });
    platform.trace(`ble: installer service advertising as "${deviceName}"`);
  }

  get state(): InstallerServiceState {
    return this.#state;
  }

  /** Milliseconds until a new connection will be served (0 when not backing off). */
  get backoffRemainingMs(): number {
    return this.#backoff.remaining(this.#platform.clock.monotonic());
  }

  stop(): void {
    this.#endSession();
    this.#state = "stopped";
    this.#platform.ble.stop();
  }

  #connected(connection: number): void {
    if (this.#state !== "advertising") {
      // One connection at a time (Moddable's ble.max_connections is 1); anything else is refused.
      this.#platform.ble.disconnect();
      return;
    }
    this.#connection = connection;
    const wait = this.#backoff.remaining(this.#platform.clock.monotonic());
    if (wait > 0) {
      this.#count("ble.refused");
      this.#platform.trace(`ble: connection refused, backing off ${wait} ms`);
      this.#state = "dropping";
      this.#platform.ble.disconnect();
      return;
    }
    this.#session = { id: ++this.#sessionIds, mtu: ATT_DEFAULT_MTU, reassembler: new Reassembler(CLIENT_HELLO_BYTES) };
    this.#state = "awaiting-hello";
    this.#arm(this.#handshakeTimeoutMs);
    this.#platform.trace("ble: connected");
  }

  #disconnected(connection: number): void {
    if (connection !== this.#connection || this.#state === "stopped") return;
    if (this.#state === "awaiting-hello" || this.#state === "awaiting-finished") {
      // The peer left mid-handshake: as much a failed attempt as a wrong confirmation.
      this.#handshakeFailed("state");
    }
    this.#endSession();
    this.#state = "advertising";
  }

  #written(characteristic: string, value: Uint8Array): void {
    const session = this.#session;
    if (!session || (this.#state !== "awaiting-hello" && this.#state !== "awaiting-finished" && this.#state !== "established")) {
      return; // in flight when the connection was dropped
    }
    const expected = this.#state === "established" ? InstallerCharacteristic.request : InstallerCharacteristic.handshake;
    try {
      if (characteristic !== expected) throw new SessionError("state", `write to "${characteristic}" while ${this.#state}`);
      const message = session.reassembler.push(value);
      if (message) this.#receive(session, message);
    } catch (error) {
      this.#drop(this.#reasonOf(error), error);
    }
  }

  #receive(session: Session, message: Uint8Array): void {
    switch (this.#state) {
      case "awaiting-hello": {
        if (message.length === CLIENT_HELLO_BYTES && this.#replays.seen(helloBinder(message))) {
          throw new SessionError("replay", "ClientHello seen before");
        }
        session.handshake = answerClientHello(this.#secrets, message, () => p256KeyPair(this.#platform.random));
        this.#replays.remember(helloBinder(message));
        session.reassembler = new Reassembler(CLIENT_FINISHED_BYTES);
        this.#state = "awaiting-finished";
        this.#send(session, InstallerCharacteristic.handshake, session.handshake.serverHello);
        return;
      }
      case "awaiting-finished": {
        const handshake = session.handshake!;
        verifyClientFinished(handshake, message);
        session.reader = new RecordReader(handshake.keys.appToDevice, MessageType.AppRecord);
        session.writer = new RecordWriter(handshake.keys.deviceToApp, MessageType.DeviceRecord, this.#platform.random);
        session.reassembler = new Reassembler();
        this.#state = "established";
        this.#backoff.succeeded();
        this.#count("ble.sessions");
        this.#platform.trace("ble: installer session established");
        this.#arm(this.#idleTimeoutMs);
        return;
      }
      case "established": {
        const request = decodeRequest(session.reader!.open(message));
        this.#arm(this.#idleTimeoutMs);
        if (request.kind === "status") this.#respond(session, { kind: "status", status: this.#source.status() });
        else if (request.kind === "site-check") this.#startSiteCheck(session);
        else this.#close("closed by the app");
        return;
      }
    }
  }

  #startSiteCheck(session: Session): void {
    if (this.#siteCheckRunning) {
      this.#respond(session, { kind: "site-check-started", accepted: false });
      return;
    }
    this.#siteCheckRunning = true;
    this.#respond(session, { kind: "site-check-started", accepted: true });
    let reported = false;
    this.#source.siteCheck((result: SiteCheckResult) => this.#guard(() => {
      if (reported) return;
      reported = true;
      this.#siteCheckRunning = false;
      // The installer may have left, or reconnected as a new session: the result is theirs only if not.
      if (this.#session === session && this.#state === "established") this.#respond(session, { kind: "site-check-result", result });
    }));
  }

  #respond(session: Session, response: InstallerResponse): void {
    this.#send(session, InstallerCharacteristic.notification, session.writer!.seal(encodeResponse(response)));
  }

  #send(session: Session, characteristic: string, message: Uint8Array): void {
    for (const fragment of fragmentMessage(message, session.mtu)) this.#platform.ble.notifyValue(characteristic, fragment);
  }

  /** (Re)starts the one timer of the session: the handshake time box, then the idle limit. */
  #arm(ms: number): void {
    const session = this.#session!;
    this.#platform.timers.clear(session.timer);
    session.timer = this.#platform.timers.set(() => this.#drop("timeout", new SessionError("timeout", `nothing for ${ms} ms`)), ms);
  }

  #drop(reason: DropReason, error: unknown): void {
    this.#platform.trace(`ble: dropped (${reason}): ${error instanceof Error ? error.message : String(error)}`);
    this.#count(`ble.drop.${reason}`);
    if (this.#state === "established") this.#count("ble.drops");
    else this.#handshakeFailed(reason);
    this.#hangUp();
  }

  #close(why: string): void {
    this.#platform.trace(`ble: session ended, ${why}`);
    this.#hangUp();
  }

  #hangUp(): void {
    this.#endSession();
    this.#state = "dropping";
    this.#platform.ble.disconnect();
  }

  #handshakeFailed(reason: DropReason): void {
    const wait = this.#backoff.failed(this.#platform.clock.monotonic());
    this.#count("ble.failedHandshakes");
    this.#platform.trace(`ble: handshake failed (${reason}); next attempt in ${wait} ms`);
  }

  #endSession(): void {
    const session = this.#session;
    if (!session) return;
    this.#platform.timers.clear(session.timer);
    wipeSessionKeys(session.handshake?.keys);
    this.#session = undefined;
  }

  #reasonOf(error: unknown): DropReason {
    if (error instanceof SessionError) return error.reason;
    if (error instanceof FormatError) return "message";
    this.#count("ble.internalErrors");
    return "state";
  }

  #count(name: string): void {
    this.#counters?.increment(name);
  }

  /** A throw inside a BLE callback must never take the logger down: it ends the connection. */
  #guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.#count("ble.internalErrors");
      this.#platform.trace(`ble: internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (this.#session) this.#hangUp();
    }
  }
}
