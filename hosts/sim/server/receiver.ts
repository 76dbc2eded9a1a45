/**
 * The server's uplink endpoint, free of any transport: it takes what a device published (MQTT) or
 * POSTed (HTTPS), stores data once per sequence number (Ingest), answers each data packet with an
 * acknowledgement carrying the server's time, records the devices' reports, and hands out
 * configuration changes and update notices. The broker adapters (in memory, aedes, an external
 * broker) and the HTTPS servers only move bytes to and from it. See docs/downlink-format.md.
 */
import { FormatError } from "../../../modules/codec/byte-reader.js";
import { encodeDownlink, type KnownDownlink } from "../../../modules/uplink/downlink.js";
import { deviceTopics, parseHttpsPath, parseUplinkTopic, verifyHttpsMac } from "../../../modules/uplink/endpoints.js";
import { decodeReports, type UplinkReport } from "../../../modules/uplink/report.js";
import { Ingest, type IngestListener } from "./ingest.js";

export interface DeviceAccount {
  deviceId: number;
  username: string;
  password: string;
}

export interface Outgoing {
  topic: string;
  payload: Uint8Array;
}

export interface ReceivedReport {
  username: string;
  report: UplinkReport;
  atMs: number;
}

export interface DeviceActivity {
  packets: number;
  bytes: number;
  refused: number;
  lastSeenMs: number | undefined;
}

export interface ReceiverOptions {
  devices: readonly DeviceAccount[];
  /** Where stored records go (CSV landing). */
  listener?: IngestListener;
  /** The server's clock, ms since the epoch (the simulated world's true time). */
  now(): number;
  /** Publishes a downlink now (the broker queues it for a device that is away). */
  publish?(message: Outgoing): void;
  trace?(line: string): void;
}

export class Receiver {
  readonly ingest: Ingest;
  readonly reports: ReceivedReport[] = [];
  readonly activity = new Map<string, DeviceActivity>();
  readonly #options: ReceiverOptions;
  readonly #accounts = new Map<string, DeviceAccount>();
  /** Changes and notices for HTTPS devices, until the device reports on them. */
  readonly #waiting = new Map<string, KnownDownlink[]>();

  constructor(options: ReceiverOptions) {
    this.#options = options;
    this.ingest = new Ingest(options.listener);
    for (const account of options.devices) {
      this.#accounts.set(account.username, account);
      this.activity.set(account.username, { packets: 0, bytes: 0, refused: 0, lastSeenMs: undefined });
    }
  }

  /** A message a device published; returns the downlinks to publish back. */
  onPublish(topic: string, payload: Uint8Array): Outgoing[] {
    const parsed = parseUplinkTopic(topic);
    const account = parsed && this.#accounts.get(parsed.username);
    if (!parsed || !account) {
      this.#trace(`ignored a message on ${topic}`);
      return [];
    }
    const answer = parsed.channel === "data" ? this.#data(account, payload) : this.#report(account, payload);
    if (!answer?.length) return [];
    const messages = [...answer, ...(this.#waiting.get(account.username) ?? [])];
    return [{ topic: `${deviceTopics(account.username).downlinkPrefix}${answer[0].kind}`, payload: encodeDownlink(messages) }];
  }

  /** A POST from a device: the answer's status and body (the acknowledgement and what waits for it). */
  onPost(url: string, body: Uint8Array): { status: number; body: Uint8Array } {
    const parsed = parseHttpsPath(url);
    const account = parsed && this.#accounts.get(parsed.username);
    if (!parsed || !account) return { status: 404, body: new Uint8Array(0) };
    if (!verifyHttpsMac(account.password, parsed.path, body, parsed.mac)) {
      this.#activity(account).refused++;
      this.#trace(`${account.username}: POST with a bad MAC refused`);
      return { status: 401, body: new Uint8Array(0) };
    }
    const answer = parsed.channel === "data" ? this.#data(account, body) : this.#report(account, body);
    if (!answer) return { status: 400, body: new Uint8Array(0) };
    return { status: 200, body: encodeDownlink([...answer, ...(this.#waiting.get(account.username) ?? [])]) };
  }

  /**
   * Sends a configuration change: published now on the device's topic (the broker keeps it for a
   * device that is away), and added to every acknowledgement until the device reports on it (a
   * device the broker never saw, and an HTTPS device, get it so).
   */
  pushConfig(username: string, version: number, document: string): void {
    this.#push(username, { kind: "config", version, document });
  }

  pushUpdate(username: string, notice: Uint8Array): void {
    this.#push(username, { kind: "update", notice });
  }

  #push(username: string, message: KnownDownlink): void {
    if (!this.#accounts.has(username)) throw new Error(`no device "${username}"`);
    this.#waiting.set(username, [...(this.#waiting.get(username) ?? []), message]);
    this.#options.publish?.({ topic: `${deviceTopics(username).downlinkPrefix}${message.kind}`, payload: encodeDownlink([message]) });
  }

  /** The answer to a data packet, or undefined when it was refused. */
  #data(account: DeviceAccount, payload: Uint8Array): KnownDownlink[] | undefined {
    const activity = this.#activity(account);
    activity.packets++;
    activity.bytes += payload.length;
    try {
      const result = this.ingest.receive(account.deviceId, payload);
      return [{ kind: "ack", answers: result.firstSeq, acked: result.acked, serverTime: Math.floor(this.#options.now()) }];
    } catch (error) {
      activity.refused++;
      this.#trace(`${account.username}: packet refused: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Reports need no answer ([]); undefined when they were refused. */
  #report(account: DeviceAccount, payload: Uint8Array): KnownDownlink[] | undefined {
    let decoded: ReturnType<typeof decodeReports>;
    try {
      decoded = decodeReports(payload);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      this.#trace(`${account.username}: report refused: ${error.message}`);
      return undefined;
    }
    if (decoded.deviceId !== account.deviceId) {
      this.#trace(`${account.username}: report names device ${decoded.deviceId}`);
      return undefined;
    }
    const atMs = this.#options.now();
    for (const report of decoded.reports) {
      this.reports.push({ username: account.username, report, atMs });
      this.#trace(`${account.username}: ${describeReport(report)}`);
      this.#settle(account.username, report);
    }
    return [];
  }

  /** A change the device reported on (or an update it answered) no longer waits for it. */
  #settle(username: string, report: UplinkReport): void {
    const waiting = this.#waiting.get(username);
    if (!waiting) return;
    const kept = waiting.filter((message) => report.kind === "config-result"
      ? !(message.kind === "config" && message.version <= report.version)
      : message.kind !== "update");
    if (kept.length) this.#waiting.set(username, kept);
    else this.#waiting.delete(username);
  }

  #activity(account: DeviceAccount): DeviceActivity {
    const activity = this.activity.get(account.username)!;
    activity.lastSeenMs = this.#options.now();
    return activity;
  }

  #trace(line: string): void {
    this.#options.trace?.(`receiver: ${line}`);
  }
}

export function describeReport(report: UplinkReport): string {
  if (report.kind === "update-result") return `update ${report.accepted ? "accepted" : `refused (${report.reason}): ${report.detail}`}`;
  const outcome = ["", "applied", "rejected", "reverted"][report.outcome];
  return `configuration ${report.version} ${outcome}: ${report.detail}`;
}
