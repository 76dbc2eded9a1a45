/**
 * The uplink: brings every logged record to the server and moves the log's acknowledged cursor
 * only when the server says it holds them (docs/downlink-format.md, "Sessions").
 *
 * A session runs on the wall-clock schedule (every `intervalS`), at once when the sampling engine
 * reports an alarm, and shortly after boot. It powers the modem up, sets the clock from the
 * network, sends waiting reports, then alarm records buried in a long backlog (sparse packet),
 * then the backlog oldest first, one packet in flight: MQTT QoS 1 publish, PUBACK, and the
 * server's acknowledgement on the device's downlink topic naming the highest sequence number
 * it holds (HTTPS: the acknowledgement is in the answer). It lingers briefly for downlinks and
 * powers the modem down. A session ends by `sessionBudgetMs`, within the modem's own 2-minute
 * hard limit. Anything not acknowledged is sent again next session; the server keeps one copy.
 *
 * Downlinks: acknowledgements (with the server's time, which sets the clock), configuration
 * changes (config-changes.ts; a change is put in force by restarting the logger after the
 * session), update notices (handed to the updater). Results travel back as reports.
 */
import type { HttpResponse } from "../../drivers/modem/bg9x/https-client.js";
import type { ModemError } from "../../drivers/modem/bg9x/modem-error.js";
import type { ModemSessionConfig } from "../../drivers/modem/session/session-config.js";
import { FormatError } from "../codec/byte-reader.js";
import { HealthCounters } from "../health/counters.js";
import { decodeNotice, type UpdateNotice } from "../ota/notice.js";
import type { TimerHandle } from "../platform/clock.js";
import type { Platform } from "../platform/platform.js";
import { alarmPacket, backlogPacket, type BuiltPacket, type RecordSource } from "./backlog.js";
import { ConfigChanges, type ChangeableConfig, type ChangeOutcome } from "./config-changes.js";
import { decodeDownlink, type AckMessage, type ConfigMessage, type DownlinkMessage } from "./downlink.js";
import { deviceTopics, httpsPath, type UplinkChannel } from "./endpoints.js";
import { encodePacket } from "./packet.js";
import type { UplinkRecord } from "./records.js";
import { ConfigOutcome } from "./report.js";
import { ReportQueue } from "./report-queue.js";
import { modemSessionConfig, type UplinkSettings } from "./settings.js";
import { TimeKeeper } from "./time-keeper.js";

/** What the uplink needs of the data log; RingLog fits. */
export interface UplinkLog extends RecordSource {
  markSent(seq: number): void;
  ack(seq: number): void;
  flush(): void;
  /** The last sequence number given out (stored or refused). */
  readonly lastSeq: number;
  stats(): { newestSeq: number; acked: number; unacked: number };
}

/** What the uplink needs of the modem; ModemSession fits. */
export interface UplinkModem {
  onDownlink: ((topic: string, payload: Uint8Array) => void) | undefined;
  readonly health: { readonly networkTime?: { epochMs: number; atMonotonicMs: number } };
  connect(config: ModemSessionConfig, done: (error?: ModemError) => void): void;
  publish(topic: string, payload: Uint8Array, done: (error?: ModemError) => void): void;
  post(path: string, body: Uint8Array, done: (error: ModemError | undefined, response?: HttpResponse) => void): void;
  close(done: () => void): void;
}

/** The firmware updater's door for notices; OtaAgent fits. */
export interface UpdateNotices {
  onNotice(notice: UpdateNotice): { accepted: true } | { accepted: false; reason: string; message: string };
}

/** Something that may use the open session after the data went (the updater's downloads). */
export interface SessionGuest {
  runSession(budgetMs: number, done: () => void): void;
}

/** One session's outcome: what the console's live trace shows as a "transmission" event. */
export interface TransmissionEvent {
  ok: boolean;
  records: number;
  detail: string;
}

export interface TransmissionListener {
  onTransmission(event: TransmissionEvent): void;
}

export interface UplinkTiming {
  firstSessionDelayMs: number;
  /** The modem session's hard limit (the "at most 2 minutes"). */
  sessionLimitMs: number;
  /** No new exchange starts after this much of a session. */
  sessionBudgetMs: number;
  ackTimeoutMs: number;
  /** How long a session waits for downlinks after its last exchange. */
  lingerMs: number;
  /** When a session ran out of time with backlog left, the next one starts this soon. */
  followUpMs: number;
  /** Sessions start this long after their schedule slot, so the slot's samples are logged. */
  slotOffsetMs: number;
  /** Records scanned for alarms ahead of a long backlog. */
  alarmScanLimit: number;
}

export const UPLINK_TIMING: UplinkTiming = Object.freeze({
  firstSessionDelayMs: 30_000,
  sessionLimitMs: 120_000,
  sessionBudgetMs: 100_000,
  ackTimeoutMs: 30_000,
  lingerMs: 1500,
  followUpMs: 60_000,
  slotOffsetMs: 20_000,
  alarmScanLimit: 20_000,
});

export interface UplinkAgentOptions {
  platform: Platform;
  settings: UplinkSettings;
  log: UplinkLog;
  modem: UplinkModem;
  /** The configuration store; without one, configuration downlinks are refused. */
  config?: ChangeableConfig;
  updates?: UpdateNotices;
  guest?: SessionGuest;
  listener?: TransmissionListener;
  counters?: HealthCounters;
  timing?: Partial<UplinkTiming>;
}

export type UplinkState = "stopped" | "idle" | "connecting" | "exchanging" | "closing";

export interface UplinkStatus {
  state: UplinkState;
  /** Wall-clock time of the next scheduled session, while idle. */
  nextSessionAt: number | undefined;
  lastResult: string;
  sessions: number;
  failedSessions: number;
  packetsSent: number;
  bytesSent: number;
  recordsAcked: number;
  /** Milliseconds the modem was powered for sessions, in this boot. */
  modemOnMs: number;
}

interface Exchange {
  channel: UplinkChannel;
  packet?: BuiltPacket;
  reports?: number;
  sentAt: number;
  delivered: boolean;
  acked: boolean;
}

interface Session {
  id: number;
  reason: string;
  startedAt: number;
  reachedServer: boolean;
  dataExchanges: number;
  cursor: number;
  /** The backlog's first packet, held back while the alarms ahead of it go. */
  heldBack: BuiltPacket | undefined;
  exchange: Exchange | undefined;
  lingered: boolean;
  records: number;
  bytes: number;
  failure: string | undefined;
  outOfTime: boolean;
  backlogLeft: boolean;
  /** The guest (the updater) has the rest of the session; it ends the session when it is done. */
  guestTurn: boolean;
  timers: TimerHandle[];
}

export class UplinkAgent {
  readonly #platform: Platform;
  readonly #settings: UplinkSettings;
  readonly #log: UplinkLog;
  readonly #modem: UplinkModem;
  readonly #options: UplinkAgentOptions;
  readonly #counters: HealthCounters;
  readonly #timing: UplinkTiming;
  readonly #topics: ReturnType<typeof deviceTopics>;
  readonly #time: TimeKeeper;
  readonly #reports: ReportQueue;
  readonly #changes: ConfigChanges | undefined;
  #state: UplinkState = "stopped";
  #timer: TimerHandle | undefined;
  #nextSessionAt: number | undefined;
  #session: Session | undefined;
  #sessionIds = 0;
  #again = false;
  #restartReason: string | undefined;
  #highestSent = 0;
  #status = { lastResult: "none yet", sessions: 0, failedSessions: 0, packetsSent: 0, bytesSent: 0, recordsAcked: 0, modemOnMs: 0 };

  constructor(options: UplinkAgentOptions) {
    this.#options = options;
    this.#platform = options.platform;
    this.#settings = options.settings;
    this.#log = options.log;
    this.#modem = options.modem;
    this.#counters = options.counters ?? new HealthCounters();
    this.#timing = { ...UPLINK_TIMING, ...options.timing };
    this.#topics = deviceTopics(options.settings.username);
    const { storage, clock } = options.platform;
    this.#time = new TimeKeeper(clock, storage, this.#log.stats().newestSeq + 1);
    this.#reports = new ReportQueue(storage, options.settings.deviceId);
    this.#changes = options.config ? new ConfigChanges(options.config, storage, options.settings.configVersion) : undefined;
  }

  status(): UplinkStatus {
    return { state: this.#state, nextSessionAt: this.#state === "idle" ? this.#nextSessionAt : undefined, ...this.#status };
  }

  /** Starts the schedule; the first session comes `firstSessionDelayMs` after this. */
  start(): void {
    if (this.#state !== "stopped") return;
    this.#state = "idle";
    this.#modem.onDownlink = (topic, payload) => this.#onDownlink(topic, payload);
    this.#scheduleIn(this.#timing.firstSessionDelayMs);
  }

  /** Stops the schedule; a session in progress powers the modem down. */
  stop(): void {
    if (this.#state === "stopped") return;
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    const session = this.#session;
    this.#session = undefined;
    this.#state = "stopped";
    if (session) {
      this.#clearTimers(session);
      this.#modem.close(() => undefined);
    }
  }

  /** The sampling engine reported an alarm: a session now, or another right after this one. */
  alarm(): void {
    this.transmitNow("alarm");
  }

  transmitNow(reason: string): void {
    if (this.#state === "idle") this.#begin(reason);
    else if (this.#state !== "stopped") this.#again = true;
  }

  // ---- schedule -----------------------------------------------------------------------------

  #scheduleIn(delayMs: number): void {
    const { timers, clock } = this.#platform;
    timers.clear(this.#timer);
    this.#nextSessionAt = clock.now() + delayMs;
    this.#timer = timers.set(() => {
      this.#timer = undefined;
      if (this.#state === "idle") this.#begin("schedule");
    }, delayMs);
  }

  #scheduleNextSlot(): void {
    const intervalMs = this.#settings.intervalS * 1000;
    const phase = (this.#platform.clock.now() - this.#timing.slotOffsetMs) % intervalMs;
    this.#scheduleIn(intervalMs - (phase < 0 ? phase + intervalMs : phase));
  }

  // ---- session ------------------------------------------------------------------------------

  #begin(reason: string): void {
    const { timers, clock } = this.#platform;
    timers.clear(this.#timer);
    this.#timer = undefined;
    this.#again = false;
    const session: Session = {
      id: ++this.#sessionIds, reason, startedAt: clock.monotonic(), reachedServer: false, dataExchanges: 0,
      cursor: this.#log.stats().acked + 1, heldBack: undefined, exchange: undefined, lingered: false,
      records: 0, bytes: 0, failure: undefined, outOfTime: false, backlogLeft: false, guestTurn: false, timers: [],
    };
    this.#session = session;
    this.#state = "connecting";
    this.#counters.increment("uplink.sessions");
    this.#trace(`session ${session.id} (${reason})`);
    session.timers.push(
      timers.set(() => { session.outOfTime = true; this.#step(session); }, this.#timing.sessionBudgetMs),
      // The modem session ends itself at its hard limit; this only guards against a callback that never comes.
      timers.set(() => {
        this.#counters.increment("uplink.session_watchdog");
        this.#modem.close(() => undefined);
        this.#closed(session);
      }, this.#timing.sessionLimitMs + 30_000),
    );
    this.#modem.connect(modemSessionConfig(this.#settings, this.#timing.sessionLimitMs), (error) => {
      if (this.#session !== session || this.#state !== "connecting") return;
      if (error) return this.#finish(session, `connect: ${error.kind}`);
      this.#state = "exchanging";
      this.#networkTime();
      this.#step(session);
    });
  }

  #networkTime(): void {
    const time = this.#modem.health.networkTime;
    if (!time) return;
    const epochMs = time.epochMs + (this.#platform.clock.monotonic() - time.atMonotonicMs);
    if (this.#time.observe(epochMs, "network", this.#lastSeq())) this.#counters.increment("uplink.clock_set_network");
  }

  /** Starts the next exchange, or ends the session when nothing is left. */
  #step(session: Session): void {
    if (this.#session !== session || this.#state !== "exchanging" || session.exchange || session.guestTurn) return;
    if (session.outOfTime) return this.#finish(session, undefined);
    const reports = this.#reports.payload();
    if (reports) return this.#send(session, { channel: "report", reports: reports.count }, reports.bytes);
    const { deviceId } = this.#settings;
    const restamp = (record: UplinkRecord) => this.#time.restamp(record);
    this.#log.flush();
    let packet = session.heldBack;
    session.heldBack = undefined;
    if (!packet) {
      packet = backlogPacket(this.#log, deviceId, session.cursor, restamp);
      const alarms = packet && session.dataExchanges === 0 && packet.lastSeq < this.#log.stats().newestSeq
        ? alarmPacket(this.#log, deviceId, packet.lastSeq + 1, restamp, this.#timing.alarmScanLimit) : undefined;
      if (alarms) {
        // A backlog longer than one packet: the alarms buried in it go first.
        session.heldBack = packet;
        packet = alarms;
      }
    }
    if (!packet && session.dataExchanges === 0) {
      // Nothing to send: an empty packet still brings the server's acknowledgement (and so
      // proves the server reachable) and, over HTTPS, the downlinks waiting for the logger.
      const empty = encodePacket(deviceId, []).bytes;
      packet = { bytes: empty, firstSeq: 0, lastSeq: 0, records: 0, sparse: false };
    }
    if (packet) return this.#send(session, { channel: "data", packet }, packet.bytes);
    if (!session.lingered) {
      session.lingered = true;
      session.timers.push(this.#platform.timers.set(() => this.#step(session), this.#timing.lingerMs));
      return;
    }
    const guest = this.#options.guest;
    const budgetMs = this.#timing.sessionBudgetMs - (this.#platform.clock.monotonic() - session.startedAt);
    if (guest && session.reachedServer && budgetMs > 0) {
      // The data went and the downlinks came: what is left of the session is the guest's.
      session.guestTurn = true;
      guest.runSession(budgetMs, () => this.#finish(session, undefined));
      return;
    }
    this.#finish(session, undefined);
  }

  #send(session: Session, what: Pick<Exchange, "channel" | "packet" | "reports">, bytes: Uint8Array): void {
    const exchange: Exchange = { ...what, sentAt: this.#platform.clock.monotonic(), delivered: false, acked: what.channel === "report" };
    session.exchange = exchange;
    session.lingered = false;
    if (what.channel === "data") session.dataExchanges++;
    this.#status.bytesSent += bytes.length;
    session.bytes += bytes.length;
    const timeout = this.#platform.timers.set(() => {
      if (session.exchange === exchange) this.#finish(session, "no acknowledgement from the server");
    }, this.#timing.ackTimeoutMs);
    session.timers.push(timeout);
    const current = () => this.#session === session && session.exchange === exchange;
    if (this.#settings.transport === "mqtt") {
      const topic = what.channel === "data" ? this.#topics.data : this.#topics.report;
      this.#modem.publish(topic, bytes, (error) => {
        if (!current()) return;
        if (error) return this.#finish(session, `publish: ${error.kind}`);
        exchange.delivered = true;
        this.#progress(session, exchange);
      });
      return;
    }
    const { username, password } = this.#settings;
    this.#modem.post(httpsPath(username, what.channel, password, bytes), bytes, (error, response) => {
      if (!current()) return;
      if (error || !response) return this.#finish(session, `post: ${error?.kind ?? "no answer"}`);
      if (response.status < 200 || response.status > 299) return this.#finish(session, `post: HTTP ${response.status}`);
      exchange.delivered = true;
      if (response.body.length) this.#onDownlinkPayload(response.body);
      if (this.#session !== session) return;
      if (!exchange.acked) return this.#finish(session, "the answer holds no acknowledgement");
      this.#progress(session, exchange);
    });
  }

  /** An exchange is complete once delivered (PUBACK / HTTP answer) and acknowledged by the server. */
  #progress(session: Session, exchange: Exchange): void {
    if (!exchange.delivered || !exchange.acked || session.exchange !== exchange) return;
    session.exchange = undefined;
    if (exchange.reports) {
      this.#reports.delivered(exchange.reports);
    } else if (exchange.packet) {
      const packet = exchange.packet;
      this.#status.packetsSent++;
      session.records += packet.records;
      if (packet.records && !packet.sparse) {
        this.#highestSent = Math.max(this.#highestSent, packet.lastSeq);
        this.#log.markSent(packet.lastSeq);
        session.cursor = packet.lastSeq + 1;
      }
    }
    this.#step(session);
  }

  #finish(session: Session, failure: string | undefined): void {
    if (this.#session !== session || this.#state === "closing") return;
    session.failure = failure;
    session.exchange = undefined;
    session.backlogLeft = this.#log.stats().newestSeq >= session.cursor;
    this.#state = "closing";
    // Not from inside the modem's own callback: the session may still be unwinding the event
    // that failed us (a dropped link restarts its bring-up after telling its operations).
    session.timers.push(this.#platform.timers.set(() => this.#modem.close(() => this.#closed(session)), 0));
  }

  #closed(session: Session): void {
    if (this.#session !== session) return;
    this.#clearTimers(session);
    this.#session = undefined;
    this.#state = "idle";
    const { clock } = this.#platform;
    this.#status.modemOnMs += clock.monotonic() - session.startedAt;
    this.#status.sessions++;
    const ok = session.reachedServer && session.failure === undefined;
    if (!session.reachedServer) {
      this.#status.failedSessions++;
      this.#counters.increment("uplink.failed_sessions");
      if (this.#changes) this.#took(this.#changes.sessionFailed(this.#settings.revertAfterFailedSessions));
    }
    const detail = session.failure ?? `${session.records} records, ${session.bytes} bytes${session.backlogLeft ? ", more to send" : ""}`;
    this.#status.lastResult = `${ok ? "ok" : "failed"}: ${detail}`;
    this.#trace(`session ${session.id} ${this.#status.lastResult}`);
    this.#options.listener?.onTransmission({ ok, records: session.records, detail });
    if (this.#restartReason !== undefined) {
      const reason = this.#restartReason;
      this.#restartReason = undefined;
      this.#state = "stopped";
      this.#platform.restart(reason);
      return;
    }
    if (this.#again && this.#unsentWaiting()) this.#begin("alarm");
    else if (ok && session.backlogLeft) this.#scheduleIn(this.#timing.followUpMs);
    else this.#scheduleNextSlot();
  }

  #unsentWaiting(): boolean {
    this.#log.flush();
    return this.#log.stats().newestSeq > this.#highestSent;
  }

  #clearTimers(session: Session): void {
    for (const timer of session.timers) this.#platform.timers.clear(timer);
    session.timers.length = 0;
  }

  // ---- downlink -----------------------------------------------------------------------------

  #onDownlink(topic: string, payload: Uint8Array): void {
    if (topic.indexOf(this.#topics.downlinkPrefix) !== 0) {
      this.#counters.increment("uplink.foreign_downlink");
      return;
    }
    this.#onDownlinkPayload(payload);
  }

  #onDownlinkPayload(payload: Uint8Array): void {
    let messages: DownlinkMessage[];
    try {
      messages = decodeDownlink(payload);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      this.#counters.increment("uplink.bad_downlink");
      this.#trace(`downlink refused: ${error.message}`);
      return;
    }
    for (const message of messages) {
      switch (message.kind) {
        case "ack": this.#onAck(message); break;
        case "config": this.#onConfig(message); break;
        case "update": this.#onUpdate(message.notice); break;
        case "unknown":
          this.#counters.increment("uplink.unknown_downlink");
          this.#trace(`downlink of unknown kind ${message.code} skipped`);
          break;
      }
    }
  }

  #onAck(ack: AckMessage): void {
    const session = this.#session;
    const exchange = session?.exchange;
    const packet = exchange?.packet;
    const answersNow = exchange !== undefined && packet !== undefined && packet.firstSeq === ack.answers && !exchange.acked;
    if (ack.acked !== undefined) {
      // Never beyond what this logger sent: a server that remembers more is not speaking of this log.
      const sent = answersNow && !packet.sparse ? Math.max(this.#highestSent, packet.lastSeq) : this.#highestSent;
      this.#ackLog(Math.min(ack.acked, sent, this.#log.stats().newestSeq));
    }
    if (!answersNow || !session) return;
    // A fresh answer: its time is the server's clock a moment ago, less half the round trip.
    const elapsed = this.#platform.clock.monotonic() - exchange.sentAt;
    if (this.#time.observe(ack.serverTime + elapsed / 2, "server", this.#lastSeq())) this.#counters.increment("uplink.clock_set_server");
    exchange.acked = true;
    if (!session.reachedServer) {
      session.reachedServer = true;
      if (this.#changes) this.#took(this.#changes.serverReached());
    }
    if (this.#settings.transport === "mqtt") this.#progress(session, exchange);
  }

  #ackLog(seq: number): void {
    const before = this.#log.stats().acked;
    if (seq <= before) return;
    this.#log.ack(seq);
    this.#time.acknowledged(seq);
    this.#status.recordsAcked += seq - before;
    this.#counters.increment("uplink.acked_records", seq - before);
  }

  #onConfig(message: ConfigMessage): void {
    const outcome: ChangeOutcome = this.#changes?.receive(message) ?? {
      report: { kind: "config-result", version: message.version, outcome: ConfigOutcome.Rejected, detail: "this logger takes no configuration by downlink" },
      restart: false,
    };
    this.#trace(`configuration ${message.version}: ${outcome.restart ? "applied; restarting after the session" : outcome.report?.detail ?? "already taken"}`);
    this.#took(outcome);
  }

  /** Queues the outcome's report; a restart waits for the end of the session. */
  #took(outcome: ChangeOutcome): void {
    if (outcome.report) this.#reports.add(outcome.report);
    if (outcome.restart) this.#restartReason = `configuration ${outcome.report ? "reverted" : "changed"} by the uplink`;
  }

  #onUpdate(bytes: Uint8Array): void {
    let notice: UpdateNotice;
    try {
      notice = decodeNotice(bytes);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      this.#reports.add({ kind: "update-result", accepted: false, reason: "bad-notice", detail: error.message });
      return;
    }
    const handler = this.#options.updates;
    const result = handler ? handler.onNotice(notice) : { accepted: false as const, reason: "unsupported", message: "this logger takes no updates" };
    this.#reports.add(result.accepted
      ? { kind: "update-result", accepted: true, reason: "", detail: "accepted" }
      : { kind: "update-result", accepted: false, reason: result.reason, detail: result.message });
  }

  #lastSeq(): number {
    return Math.max(this.#log.lastSeq, this.#log.stats().newestSeq);
  }

  #trace(line: string): void {
    this.#platform.trace(`uplink: ${line}`);
  }
}
