/**
 * The reference installer app: a BLE central that pairs with a logger's pairing key, runs the
 * session of docs/ble-session.md over the simulated link and reports status as it arrives. Like
 * the device, it drops the connection on anything unexpected. Node-free, in virtual time.
 */
import { p256KeyPair, type P256KeyPair } from "../../../modules/crypto/p256.js";
import type { Random } from "../../../modules/platform/platform.js";
import { fragmentMessage, Reassembler } from "../../../modules/ble/fragments.js";
import { InstallerCharacteristic } from "../../../modules/ble/gatt.js";
import { answerServerHello, clientHello, MessageType, SERVER_HELLO_BYTES } from "../../../modules/ble/handshake.js";
import { decodeResponse, encodeRequest, type InstallerRequest } from "../../../modules/ble/installer-messages.js";
import type { InstallerStatus, SiteCheckResult } from "../../../modules/ble/installer-status.js";
import { pskSecrets, wipeSessionKeys, type PskSecrets, type SessionKeys } from "../../../modules/ble/key-schedule.js";
import { RecordReader, RecordWriter } from "../../../modules/ble/record-layer.js";
import type { BleLink } from "../ble-link.js";
import type { ScheduledEvent, Scheduler } from "../scheduler.js";

export type InstallerAppState = "idle" | "awaiting-server-hello" | "established" | "closing" | "closed";

/** How long the app waits for the logger to hang up after Close before it hangs up itself. */
const CLOSE_GRACE_MS = 2000;

export interface InstallerAppEvents {
  onEstablished?(): void;
  onStatus?(status: InstallerStatus): void;
  onSiteCheckStarted?(accepted: boolean): void;
  onSiteCheckResult?(result: SiteCheckResult): void;
  /** Once per connection, with why it ended. */
  onClosed?(reason: string): void;
}

export interface InstallerAppOptions extends InstallerAppEvents {
  link: BleLink;
  scheduler: Scheduler;
  pairingKey: Uint8Array;
  /** The app's own randomness (ephemeral keys, IVs), never the logger's. */
  random: Random;
  /** Status polling period once established; 0 polls only on request. */
  pollIntervalMs?: number;
  /** Gives up when the device has not completed the handshake by then (it stays silent to a wrong key). */
  handshakeTimeoutMs?: number;
}

export class InstallerApp {
  readonly #options: InstallerAppOptions;
  readonly #secrets: PskSecrets;
  #state: InstallerAppState = "idle";
  #ephemeral: P256KeyPair | undefined;
  #hello: Uint8Array | undefined;
  #keys: SessionKeys | undefined;
  #reader: RecordReader | undefined;
  #writer: RecordWriter | undefined;
  #reassembler = new Reassembler(SERVER_HELLO_BYTES);
  #timer: ScheduledEvent | undefined;

  constructor(options: InstallerAppOptions) {
    this.#options = options;
    this.#secrets = pskSecrets(options.pairingKey);
  }

  get state(): InstallerAppState {
    return this.#state;
  }

  /** Connects and sends ClientHello; false when the logger is not advertising. */
  connect(): boolean {
    if (this.#state !== "idle" && this.#state !== "closed") return false;
    const { link } = this.#options;
    if (!link.connect({
      onNotification: (characteristic, value) => this.#notified(characteristic, value),
      onDisconnected: () => this.#ended(this.#state === "closing" ? "closed by the app" : "disconnected by the logger"),
    })) return false;
    this.#state = "awaiting-server-hello";
    this.#reassembler = new Reassembler(SERVER_HELLO_BYTES);
    this.#ephemeral = p256KeyPair(this.#options.random);
    this.#hello = clientHello(this.#secrets, this.#ephemeral);
    this.#write(InstallerCharacteristic.handshake, this.#hello);
    this.#schedule(this.#options.handshakeTimeoutMs ?? 40_000, () => this.#fail("the logger did not complete the handshake"));
    return true;
  }

  requestStatus(): void {
    this.#request({ kind: "status" });
  }

  requestSiteCheck(): void {
    this.#request({ kind: "site-check" });
  }

  /** Ends the session explicitly, so that the logger can tell an end from a truncation; it then hangs up. */
  close(): void {
    if (this.#state !== "established") return;
    this.#request({ kind: "close" });
    this.#state = "closing";
    this.#schedule(CLOSE_GRACE_MS, () => this.#ended("closed by the app"));
  }

  #request(request: InstallerRequest): void {
    if (this.#state !== "established") return;
    this.#write(InstallerCharacteristic.request, this.#writer!.seal(encodeRequest(request)));
  }

  #notified(characteristic: string, value: Uint8Array): void {
    try {
      if (this.#state !== "awaiting-server-hello" && this.#state !== "established") return;
      const expected = this.#state === "established" ? InstallerCharacteristic.notification : InstallerCharacteristic.handshake;
      if (characteristic !== expected) throw new Error(`notification on "${characteristic}" while ${this.#state}`);
      const message = this.#reassembler.push(value);
      if (message) this.#receive(message);
    } catch (error) {
      this.#fail(error instanceof Error ? error.message : String(error));
    }
  }

  #receive(message: Uint8Array): void {
    if (this.#state === "awaiting-server-hello") {
      const { clientFinished, keys } = answerServerHello(this.#secrets, this.#hello!, this.#ephemeral!, message);
      this.#ephemeral!.secretKey.fill(0);
      this.#keys = keys;
      this.#reader = new RecordReader(keys.deviceToApp, MessageType.DeviceRecord);
      this.#writer = new RecordWriter(keys.appToDevice, MessageType.AppRecord, this.#options.random);
      this.#reassembler = new Reassembler();
      this.#write(InstallerCharacteristic.handshake, clientFinished);
      this.#state = "established";
      this.#options.onEstablished?.();
      this.#poll();
      return;
    }
    const response = decodeResponse(this.#reader!.open(message));
    if (response.kind === "status") this.#options.onStatus?.(response.status);
    else if (response.kind === "site-check-started") this.#options.onSiteCheckStarted?.(response.accepted);
    else this.#options.onSiteCheckResult?.(response.result);
  }

  #poll(): void {
    const interval = this.#options.pollIntervalMs ?? 1000;
    this.requestStatus();
    if (interval > 0) this.#schedule(interval, () => this.#poll());
    else this.#cancelTimer();
  }

  #write(characteristic: string, message: Uint8Array): void {
    for (const fragment of fragmentMessage(message, this.#options.link.mtu)) this.#options.link.write(characteristic, fragment);
  }

  #schedule(ms: number, run: () => void): void {
    this.#cancelTimer();
    this.#timer = this.#options.scheduler.after(ms, run);
  }

  #cancelTimer(): void {
    this.#options.scheduler.cancel(this.#timer);
    this.#timer = undefined;
  }

  #fail(reason: string): void {
    this.#ended(`dropped: ${reason}`);
  }

  #ended(reason: string): void {
    if (this.#state === "closed" || this.#state === "idle") return;
    this.#state = "closed";
    this.#cancelTimer();
    wipeSessionKeys(this.#keys);
    this.#keys = undefined;
    this.#options.link.disconnect();
    this.#options.onClosed?.(reason);
  }
}
