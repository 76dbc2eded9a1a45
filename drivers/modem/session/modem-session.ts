/**
 * The uplink's view of the cellular modem: `connect` (power up, register, open TLS + MQTT or
 * prepare HTTPS), `publish` / `post` with delivery confirmation, `get` (HTTPS GET with request
 * fields such as Range, in either transport), downlink messages, `close`.
 *
 * Bring-up runs in stages; each stage is skipped once done, so a dropped MQTT link redoes only
 * registration check, PDP check and MQTT, while a modem that restarted redoes everything. A
 * modem that stops answering goes to the recovery ladder. Operations queue while the session is
 * not ready and run one at a time. A hard time limit (2 minutes by default) shuts the modem
 * down whatever the session is doing.
 *
 * The console gets `pause` / `resume` and a raw `sendAt`; which lines are allowed is the
 * console's decision. The modem's own firmware update (DFOTA) gets the AT channel to itself with
 * `beginModemUpdate` / `endModemUpdate`, the 2-minute limit replaced by a long one meanwhile.
 */
import { HealthCounters } from "../../../modules/health/counters.js";
import type { TimerHandle } from "../../../modules/platform/clock.js";
import type { Platform } from "../../../modules/platform/platform.js";
import type { AtCommand, AtResult } from "../at/at-command.js";
import { AtTranscript, type TranscriptEntry } from "../at/at-transcript.js";
import type { UrcHandler } from "../at/urc-table.js";
import { Bg9xModem } from "../bg9x/bg9x-modem.js";
import { TIMEOUTS } from "../bg9x/command-timeouts.js";
import { checkAtString } from "../bg9x/fields.js";
import { checkHeaderFields, parseHttpsUrl } from "../bg9x/http-message.js";
import { configureHttp, httpsGet, httpsPost, type HttpGetResponse, type HttpHeaderMode, type HttpResponse } from "../bg9x/https-client.js";
import { describeError, modemError, type ModemError } from "../bg9x/modem-error.js";
import { Bg9xMqtt, checkTopic, MAX_PAYLOAD, type MqttSettings } from "../bg9x/mqtt-client.js";
import { MQTT_STAT_ERRORS } from "../bg9x/mqtt-results.js";
import { activatePdp, awaitRegistration, configureRadio, initialise, PDP_CONTEXT, readNetworkInfo } from "../bg9x/network-setup.js";
import { RecoveryLadder } from "../bg9x/recovery-ladder.js";
import { configureTls, FOTA_CA_FILE, uploadFile } from "../bg9x/tls-setup.js";
import {
  checkSessionConfig, DEFAULT_KEEPALIVE_S, DEFAULT_MODEM_UPDATE_LIMIT_MS, DEFAULT_RADIO, DEFAULT_REGISTRATION_TIMEOUT_MS,
  DEFAULT_SESSION_LIMIT_MS, SSL_CONTEXT, type ModemSessionConfig,
} from "./session-config.js";
import { registrationNames, type ModemHealth, type SessionState } from "./session-health.js";

export type { SessionState, ModemHealth } from "./session-health.js";
export type PublishDone = (error?: ModemError) => void;
export type PostDone = (error: ModemError | undefined, response?: HttpResponse) => void;
export type GetDone = (error: ModemError | undefined, response?: HttpGetResponse) => void;

/** The AT engine as the modem's firmware updater sees it (ModemAt in modules/ota fits it). */
export interface AtChannel {
  send(command: AtCommand, done: (result: AtResult) => void): void;
  readonly urcs: { add(handler: UrcHandler): () => void };
}

/** A modem firmware update holding the AT channel: the operation it runs as, ended by endModemUpdate. */
interface ModemUpdate {
  finished: (error?: ModemError) => void;
}

/** Bring-up stages, in order. */
const STAGES = ["power", "init", "radio", "register", "pdp", "tls", "transport"] as const;
type Stage = (typeof STAGES)[number];

/** Errors worth another attempt of the same stage, and how many attempts a stage gets. */
const RETRIED: ReadonlyArray<ModemError["kind"]> = ["mqtt-open-failed", "mqtt-failed", "pdp-failed", "link-dropped"];
const STAGE_ATTEMPTS = 3;
const RETRY_DELAY_MS = 5000;

interface Operation {
  run(done: (error?: ModemError) => void): void;
  /** Reports the outcome to the caller, once. */
  finish(error?: ModemError): void;
}

export interface ModemSessionOptions {
  counters?: HealthCounters;
  /** Copies every (redacted) AT line to platform.trace. */
  traceAt?: boolean;
}

export class ModemSession {
  /** Downlink messages from subscribed topics. */
  onDownlink: ((topic: string, payload: Uint8Array) => void) | undefined;
  onStateChange: ((state: SessionState) => void) | undefined;

  readonly #platform: Platform;
  readonly #counters: HealthCounters;
  readonly #modem: Bg9xModem;
  readonly #mqtt: Bg9xMqtt;
  readonly #ladder: RecoveryLadder;
  #config: ModemSessionConfig | undefined;
  #state: SessionState = "off";
  #stage: Stage = "power";
  #completed = new Set<Stage>();
  #attempts = new Map<Stage, number>();
  /** Bumped whenever in-flight work is abandoned, so its late callbacks do nothing. */
  #generation = 0;
  #operations: Operation[] = [];
  #running: Operation | undefined;
  #connectDone: ((error?: ModemError) => void) | undefined;
  #closeWaiters: Array<() => void> = [];
  #limitTimer: TimerHandle | undefined;
  #paused = false;
  #pauseWaiters: Array<() => void> = [];
  #parked: (() => void) | undefined;
  #lastError: ModemError | undefined;
  /** Who writes the HTTP heads as the module is set up now; undefined until set up after a boot. */
  #httpMode: HttpHeaderMode | undefined;
  #modemUpdate: ModemUpdate | undefined;
  #modemUpdateAsked = false;
  /**
   * Set when an operation (not the bring-up) made the modem recover: only that kind of
   * operation succeeding shows the modem works again, so bring-up alone does not reset the ladder.
   */
  #operationFailedRecovery = false;

  constructor(platform: Platform, options: ModemSessionOptions = {}) {
    this.#platform = platform;
    this.#counters = options.counters ?? new HealthCounters();
    const transcript = new AtTranscript(() => platform.clock.monotonic(), options.traceAt ? { sink: (line) => platform.trace(line) } : {});
    this.#modem = new Bg9xModem(platform, transcript);
    this.#mqtt = new Bg9xMqtt(this.#modem);
    this.#ladder = new RecoveryLadder(this.#modem, platform.timers, this.#counters);
    this.#modem.events = {
      onUnexpectedRestart: () => this.#onUnexpectedRestart(),
      onLinkDropped: (client, error) => this.#onLinkDropped(client, error),
      onMessage: (topic, payload) => {
        this.#counters.increment("modem.downlinks");
        this.onDownlink?.(topic, payload);
      },
      onPdpDeactivated: () => {
        this.#completed.delete("pdp");
        this.#completed.delete("transport");
      },
    };
  }

  /**
   * The AT channel for the modem's firmware updater (ModemFirmwareUpdater). Commands go to the
   * modem only between beginModemUpdate's callback and endModemUpdate; otherwise they end at once
   * as aborted, so the updater can never interleave with the session's own exchanges.
   */
  readonly modemUpdateAt: AtChannel = {
    send: (command, done) => {
      if (!this.#modemUpdate) return done({ final: { kind: "aborted", text: "the modem is not handed over" }, lines: [] });
      this.#modem.engine.send(command, done);
    },
    urcs: { add: (handler) => this.#modem.engine.urcs.add(handler) },
  };

  get state(): SessionState {
    return this.#state;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Powers the modem up and opens the configured transport; `done` once ready or failed. */
  connect(config: ModemSessionConfig, done: (error?: ModemError) => void): void {
    if (this.#state !== "off") return done(modemError("invalid-argument", `session is ${this.#state}`));
    const problem = checkSessionConfig(config);
    if (problem) return done(modemError("invalid-argument", problem));
    this.#config = config;
    if (config.mqtt) this.#modem.transcript.addSecret(config.mqtt.password);
    if (config.apn.password) this.#modem.transcript.addSecret(config.apn.password);
    this.#counters.increment("modem.sessions");
    this.#connectDone = done;
    this.#lastError = undefined;
    this.#operationFailedRecovery = false;
    this.#completed.clear();
    this.#attempts.clear();
    this.#armLimit(config.sessionLimitMs ?? DEFAULT_SESSION_LIMIT_MS);
    this.#setState("connecting");
    this.#bringUp();
  }

  /** Publishes with QoS 1; `done()` without error means the broker acknowledged it (PUBACK). */
  publish(topic: string, payload: Uint8Array, done: PublishDone): void {
    const config = this.#config;
    const problem = config?.transport !== "mqtt" ? "no MQTT session" : checkTopic(topic, true) ??
      (payload.length > MAX_PAYLOAD ? `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD}` : undefined);
    if (problem) return done(modemError("invalid-argument", problem));
    this.#enqueue((finished) => this.#mqtt.publish(topic, payload, finished), (error) => {
      this.#counters.increment(error ? "modem.publishFailures" : "modem.publishes");
      done(error);
    });
  }

  /** POSTs `body` to `path` on the configured server over HTTPS. */
  post(path: string, body: Uint8Array, done: PostDone): void {
    const config = this.#config;
    const problem = config?.transport !== "https" ? "no HTTPS session" :
      !/^\/[\x21-\x7e]*$/.test(path) ? "path must start with / and hold printable ASCII only" : undefined;
    if (problem || !config) return done(modemError("invalid-argument", problem ?? "not connected"));
    let response: HttpResponse | undefined;
    const url = `https://${config.server.host}:${config.server.port}${path}`;
    this.#enqueue((finished) => this.#inHttpMode("module", finished, () => httpsPost(this.#modem, url, body, (error, answer) => {
      response = answer;
      finished(error);
    })), (error) => {
      this.#counters.increment(error ? "modem.postFailures" : "modem.posts");
      done(error, error ? undefined : response);
    });
  }

  /**
   * GETs an absolute https URL (any host the session's CA vouches for) with extra request head
   * `fields` (e.g. `Range: bytes=0-8191`); in an MQTT session too, beside the broker connection.
   * The answer carries the status, the response head's fields and the body.
   */
  get(url: string, fields: Readonly<Record<string, string>>, done: GetDone): void {
    const target = parseHttpsUrl(url);
    if (typeof target === "string") return done(modemError("invalid-argument", target));
    const problem = checkHeaderFields(fields);
    if (problem) return done(modemError("invalid-argument", problem));
    let response: HttpGetResponse | undefined;
    this.#enqueue((finished) => this.#inHttpMode("custom", finished, () => httpsGet(this.#modem, url, target, fields, (error, answer) => {
      response = answer;
      finished(error);
    })), (error) => {
      this.#counters.increment(error ? "modem.getFailures" : "modem.gets");
      done(error, error ? undefined : response);
    });
  }

  /**
   * Hands the AT channel (`modemUpdateAt`) to the modem's firmware update once the session is
   * ready and nothing else runs: the session's CA goes to the module as the DFOTA download's CA,
   * the session limit is replaced by `modemUpdateLimitMs`, and the session sends nothing until
   * endModemUpdate. A module that reboots meanwhile (as DFOTA does) is set up again afterwards.
   */
  beginModemUpdate(done: (error?: ModemError) => void): void {
    if (this.#modemUpdateAsked) return done(modemError("invalid-argument", "a modem update is already under way"));
    this.#modemUpdateAsked = true;
    let started = false;
    this.#enqueue((finished) => {
      const config = this.#config!;
      uploadFile(this.#modem, FOTA_CA_FILE, config.tls.caCertificate, (error) => {
        if (error) return finished(error);
        started = true;
        this.#modemUpdate = { finished };
        this.#armLimit(config.modemUpdateLimitMs ?? DEFAULT_MODEM_UPDATE_LIMIT_MS);
        this.#counters.increment("modem.updates");
        this.#trace("modem update: AT channel handed over, session limit lifted");
        done();
      });
    }, (error) => {
      this.#modemUpdateAsked = false;
      this.#modemUpdate = undefined;
      if (!started) done(error);
    });
  }

  /** Takes the AT channel back: a fresh session limit, and bring-up again if the module rebooted. */
  endModemUpdate(): void {
    const update = this.#modemUpdate;
    if (!update) return;
    this.#modemUpdate = undefined;
    this.#armLimit(this.#config?.sessionLimitMs ?? DEFAULT_SESSION_LIMIT_MS);
    const setUpAgain = STAGES.some((stage) => !this.#completed.has(stage));
    if (setUpAgain && this.#state === "ready") this.#setState("connecting");
    this.#trace("modem update: AT channel taken back");
    update.finished();
    if (setUpAgain && this.#state === "connecting") this.#bringUp();
  }

  /** Disconnects and powers the modem down; queued operations fail with "closed". */
  close(done: () => void): void {
    if (this.#state === "off") return done();
    this.#closeWaiters.push(done);
    if (this.#state === "closing") return;
    this.#setState("closing");
    this.#failQueued(modemError("closed", "session closed"));
    this.#failConnect(modemError("closed", "session closed before it was ready"));
    if (this.#running) return; // #operationDone continues the close
    this.#shutDown(true);
  }

  /** Stops the firmware's use of the modem after the operation in flight (for the console). */
  pause(done: () => void): void {
    this.#paused = true;
    if (this.#running) this.#pauseWaiters.push(done);
    else done();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const parked = this.#parked;
    this.#parked = undefined;
    parked?.();
    this.#pump();
  }

  /**
   * Sends one raw line for the console while paused; `final` is the result code, or why the
   * line was not sent. Answer lines are redacted like the transcript.
   */
  sendAt(line: string, done: (lines: string[], final: string) => void): void {
    if (!this.#paused) return done([], "not paused");
    if (!this.#modem.power.supplied) return done([], "modem off");
    if (!/^AT[\x20-\x7e]*$/i.test(line) || checkAtString(line.replace(/"/g, ""), "line", false)) return done([], "invalid line");
    const timeoutMs = /^AT\+COPS/i.test(line) ? TIMEOUTS.cops : TIMEOUTS.console;
    this.#modem.run({ text: line, timeoutMs }, (result) => {
      const transcript = this.#modem.transcript;
      done(result.lines.map((l) => transcript.redact(l)), transcript.redact(result.final.text));
    });
  }

  get health(): ModemHealth {
    const status = this.#modem.status;
    const counters: Record<string, number> = {};
    for (const [name, value] of this.#counters.snapshot()) if (name.startsWith("modem.")) counters[name] = value;
    const health: ModemHealth = {
      state: this.#state,
      paused: this.#paused,
      modemUpdate: this.#modemUpdate !== undefined,
      stage: this.#stage,
      supplied: this.#modem.power.supplied,
      registration: registrationNames(status),
      signal: { ...status.signal },
      nextRecoveryStep: this.#ladder.nextStep,
      counters,
      at: { ...this.#modem.engine.stats },
    };
    const act = status.registration.eps?.act ?? status.registration.gprs?.act;
    if (act !== undefined) health.accessTechnology = act;
    if (status.operator) health.operator = status.operator;
    if (status.firmware) health.firmware = status.firmware;
    if (status.ipAddress) health.ipAddress = status.ipAddress;
    if (status.networkTime) health.networkTime = { ...status.networkTime };
    if (this.#lastError) health.lastError = this.#lastError;
    return health;
  }

  /** The redacted AT transcript, oldest first. */
  transcript(): TranscriptEntry[] {
    return this.#modem.transcript.entries();
  }

  // ---- bring-up ---------------------------------------------------------------------------

  #bringUp(): void {
    const stage = STAGES.find((s) => !this.#completed.has(s));
    if (!stage) return this.#becomeReady();
    this.#stage = stage;
    const generation = this.#generation;
    this.#runStage(stage, (error) => {
      if (generation !== this.#generation) return;
      this.#whenUnpaused(() => {
        if (generation !== this.#generation) return;
        if (!error) {
          this.#completed.add(stage);
          this.#attempts.delete(stage);
          return this.#bringUp();
        }
        this.#stageFailed(stage, error);
      });
    });
  }

  #runStage(stage: Stage, done: (error?: ModemError) => void): void {
    const config = this.#config!;
    const modem = this.#modem;
    const timers = this.#platform.timers;
    const now = () => this.#platform.clock.monotonic();
    switch (stage) {
      case "power": return modem.powerOn(done);
      case "init":
        this.#httpMode = undefined;
        return initialise(modem, timers, done);
      case "radio": return configureRadio(modem, config.radio ?? DEFAULT_RADIO, config.apn, config.psm, done);
      case "register":
        return awaitRegistration(modem, timers, now, config.registrationTimeoutMs ?? DEFAULT_REGISTRATION_TIMEOUT_MS, done);
      case "pdp": return activatePdp(modem, (error) => (error ? done(error) : readNetworkInfo(modem, now, done)));
      case "tls":
        return configureTls(modem, config.tls.caCertificate, {
          context: SSL_CONTEXT, suite: config.tls.cipherSuite, sni: config.tls.sni ?? true, negotiateTimeS: 60,
        }, done);
      case "transport":
        if (config.transport === "https") return this.#inHttpMode("module", done, () => done());
        return this.#mqtt.ensureConnected(this.#mqttSettings(config), config.mqtt!.downlinkTopics ?? [], done);
    }
  }

  #mqttSettings(config: ModemSessionConfig): MqttSettings {
    const mqtt = config.mqtt!;
    return {
      host: config.server.host, port: config.server.port, sslContext: SSL_CONTEXT, pdpContext: PDP_CONTEXT,
      clientId: mqtt.clientId, username: mqtt.username, password: mqtt.password,
      keepaliveS: mqtt.keepaliveS ?? DEFAULT_KEEPALIVE_S, cleanSession: mqtt.cleanSession ?? false,
    };
  }

  #stageFailed(stage: Stage, error: ModemError): void {
    this.#lastError = error;
    this.#trace(`stage ${stage} failed: ${describeError(error)}`);
    if (error.kind === "timeout") return this.#recover();
    const attempts = (this.#attempts.get(stage) ?? 0) + 1;
    this.#attempts.set(stage, attempts);
    if (RETRIED.indexOf(error.kind) >= 0 && attempts < STAGE_ATTEMPTS) {
      const generation = this.#generation;
      this.#platform.timers.set(() => { if (generation === this.#generation) this.#bringUp(); }, RETRY_DELAY_MS);
      return;
    }
    this.#fail(error);
  }

  #becomeReady(): void {
    this.#counters.increment("modem.connects");
    if (!this.#operationFailedRecovery) this.#ladder.settle();
    this.#setState("ready");
    const status = this.#modem.status;
    this.#trace(`ready: ${status.operator ?? "?"} ${status.signal.rat ?? ""} ${status.signal.rssiDbm ?? "?"} dBm`);
    const done = this.#connectDone;
    this.#connectDone = undefined;
    done?.();
    this.#pump();
  }

  // ---- operations -------------------------------------------------------------------------

  #enqueue(run: Operation["run"], report: (error?: ModemError) => void): void {
    if (this.#state === "off" || this.#state === "closing") return report(modemError("closed", "session is not open"));
    let finished = false;
    this.#operations.push({
      run,
      finish: (error) => {
        if (finished) return;
        finished = true;
        report(error);
      },
    });
    this.#pump();
  }

  #pump(): void {
    if (this.#state !== "ready" || this.#paused || this.#running) return;
    const operation = this.#operations.shift();
    if (!operation) return;
    this.#running = operation;
    const generation = this.#generation;
    operation.run((error) => {
      if (generation !== this.#generation || this.#running !== operation) return;
      this.#running = undefined;
      operation.finish(error);
      this.#operationDone(error);
    });
  }

  #operationDone(error: ModemError | undefined): void {
    if (!error) {
      this.#operationFailedRecovery = false;
      this.#ladder.settle();
    } else {
      this.#lastError = error;
    }
    for (const waiter of this.#pauseWaiters.splice(0)) waiter();
    if (this.#state === "closing") return this.#shutDown(true);
    if (error && error.kind === "timeout") {
      this.#operationFailedRecovery = true;
      return this.#recover();
    }
    this.#pump();
  }

  #failQueued(error: ModemError): void {
    for (const operation of this.#operations.splice(0)) operation.finish(error);
  }

  #failRunning(error: ModemError): void {
    const running = this.#running;
    this.#running = undefined;
    running?.finish(error);
    for (const waiter of this.#pauseWaiters.splice(0)) waiter();
  }

  /** Runs `run` with the module's HTTP stack set up for `mode`, setting it up first if needed. */
  #inHttpMode(mode: HttpHeaderMode, fail: (error: ModemError) => void, run: () => void): void {
    if (this.#httpMode === mode) return run();
    this.#httpMode = undefined;
    configureHttp(this.#modem, {
      pdpContext: PDP_CONTEXT, sslContext: SSL_CONTEXT, headers: mode, contentType: this.#config?.https?.contentType ?? "application/octet-stream",
    }, (error) => {
      if (error) return fail(error);
      this.#httpMode = mode;
      run();
    });
  }

  // ---- faults -----------------------------------------------------------------------------

  #recover(): void {
    this.#generation++;
    this.#failRunning(modemError("delivery-unknown", "modem stopped answering"));
    this.#setState("recovering");
    const generation = this.#generation;
    this.#ladder.recover((outcome) => {
      if (generation !== this.#generation) return;
      this.#trace(`recovery by ${outcome.step}: ${outcome.recovered ? "modem answers" : "modem dead"}`);
      if (!outcome.recovered) return this.#fail(modemError("modem-dead", "no answer after every recovery step"));
      if (outcome.rebooted) this.#completed.clear();
      else for (const stage of ["init", "register", "pdp", "transport"] as const) this.#completed.delete(stage);
      this.#setState("connecting");
      this.#bringUp();
    });
  }

  #onUnexpectedRestart(): void {
    this.#counters.increment("modem.restarts");
    this.#modem.transcript.record("note", "modem restarted on its own");
    if (this.#state === "off" || this.#state === "closing") return;
    this.#completed.clear();
    this.#completed.add("power");
    // The updater expects this reboot and keeps the channel; bring-up waits for endModemUpdate.
    if (this.#modemUpdate) return;
    this.#generation++;
    this.#modem.forget("modem restarted");
    this.#failRunning(modemError("delivery-unknown", "modem restarted"));
    this.#setState("connecting");
    this.#bringUp();
  }

  #onLinkDropped(client: number, code: number): void {
    this.#counters.increment("modem.linkDrops");
    const error = modemError("link-dropped", `MQTT client ${client}: ${MQTT_STAT_ERRORS[code] ?? "closed"}`, code);
    this.#lastError = error;
    if (this.#state === "ready" || this.#state === "connecting") {
      for (const stage of ["register", "pdp", "transport"] as const) this.#completed.delete(stage);
    }
    // During a modem update the session sends nothing: endModemUpdate sets up again.
    const restart = this.#state === "ready" && !this.#modemUpdate;
    if (restart) this.#setState("connecting");
    // Fails the broker answer in flight: a publish as "delivery-unknown", a bring-up stage as a
    // retry of that stage; when the session was ready, nothing else runs, so start over here.
    this.#mqtt.linkLost(error);
    if (restart) this.#bringUp();
  }

  #fail(error: ModemError): void {
    this.#abandon(error, "modem.connectFailures");
  }

  /** Fails everything pending with `error` and shuts the modem down without ceremony. */
  #abandon(error: ModemError, counter: string): void {
    this.#lastError = error;
    this.#counters.increment(counter);
    this.#failConnect(error);
    this.#failQueued(error);
    this.#failRunning(error);
    this.#setState("closing");
    this.#shutDown(false);
  }

  #failConnect(error: ModemError): void {
    const done = this.#connectDone;
    this.#connectDone = undefined;
    done?.(error);
  }

  #onSessionLimit(): void {
    this.#limitTimer = undefined;
    this.#trace("session limit: shutting the modem down");
    this.#abandon(modemError("session-limit", "session time limit reached"), "modem.sessionLimit");
  }

  /** Ends the session: MQTT DISCONNECT when asked and possible, power down, supply off. */
  #shutDown(graceful: boolean): void {
    this.#generation++;
    const generation = this.#generation;
    this.#ladder.cancel();
    const mqttUp = graceful && this.#completed.has("transport") && this.#config?.transport === "mqtt";
    if (!mqttUp) this.#modem.forget("shutdown");
    const powerDown = () => this.#modem.powerDown(() => {
      if (generation !== this.#generation) return;
      this.#finishShutdown();
    });
    if (mqttUp) this.#mqtt.disconnect(() => { if (generation === this.#generation) powerDown(); });
    else powerDown();
  }

  #finishShutdown(): void {
    this.#platform.timers.clear(this.#limitTimer);
    this.#limitTimer = undefined;
    this.#completed.clear();
    this.#httpMode = undefined;
    this.#parked = undefined;
    this.#setState("off");
    for (const waiter of this.#closeWaiters.splice(0)) waiter();
  }

  // ---- helpers ----------------------------------------------------------------------------

  #armLimit(ms: number): void {
    this.#platform.timers.clear(this.#limitTimer);
    this.#limitTimer = this.#platform.timers.set(() => this.#onSessionLimit(), ms);
  }

  #whenUnpaused(run: () => void): void {
    if (!this.#paused) return run();
    this.#parked = run;
  }

  #setState(state: SessionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#trace(`state ${state}`);
    this.onStateChange?.(state);
  }

  #trace(text: string): void {
    this.#modem.transcript.record("note", text);
    this.#platform.trace(`modem: ${text}`);
  }
}
