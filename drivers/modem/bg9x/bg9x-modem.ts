/**
 * One Quectel BG95/BG96 on the board: its UART (through the AT engine), its power lines, and
 * what its URCs tell about it (boot, registration, MQTT link, downlink messages). Operations
 * here are single exchanges; sequences live in the files named after what they set up.
 */
import type { Platform } from "../../../modules/platform/platform.js";
import type { AtCommand, AtResult } from "../at/at-command.js";
import { AtEngine } from "../at/at-engine.js";
import type { AtTranscript } from "../at/at-transcript.js";
import { SerialLink } from "../at/serial-link.js";
import type { UrcWait } from "../at/urc-table.js";
import type { TimerHandle } from "../../../modules/platform/clock.js";
import { TIMEOUTS } from "./command-timeouts.js";
import { commandError, modemError, type ModemError } from "./modem-error.js";
import { mqttRecvPayloadLength, parseMqttOutcome, parseMqttRecv } from "./mqtt-results.js";
import { POWER_TIMING, PowerLines } from "./power-lines.js";
import { parseRegistration, REGISTRATION_PREFIX, type Registration, type RegistrationDomain } from "./registration.js";
import type { SignalQuality } from "./signal.js";

export interface ModemEvents {
  /** The module booted without being asked to (a crash or brown-out of the modem). */
  onUnexpectedRestart?(): void;
  /** `+QMTSTAT`: the MQTT connection of `client` is gone. */
  onLinkDropped?(client: number, error: number): void;
  onMessage?(topic: string, payload: Uint8Array): void;
  onPdpDeactivated?(context: number): void;
  onRegistration?(registration: Registration): void;
}

export interface ModemStatus {
  registration: Partial<Record<RegistrationDomain, Registration>>;
  signal: SignalQuality;
  operator?: string;
  firmware?: string;
  ipAddress?: string;
  /** The last NITZ time (`AT+QLTS=1`), with the monotonic time it was read at. */
  networkTime?: { epochMs: number; atMonotonicMs: number };
}

interface BootWait {
  done: (booted: boolean) => void;
  timer: TimerHandle;
  sawRdy: boolean;
}

export type Done = (error?: ModemError) => void;

export class Bg9xModem {
  readonly engine: AtEngine;
  readonly power: PowerLines;
  readonly status: ModemStatus = { registration: {}, signal: {} };
  events: ModemEvents = {};

  readonly #platform: Platform;
  readonly #link: SerialLink;
  #bootWait: BootWait | undefined;
  /** Bumped by forget(): timed continuations of abandoned work check it and stop. */
  #epoch = 0;

  constructor(platform: Platform, transcript: AtTranscript) {
    this.#platform = platform;
    this.#link = new SerialLink(platform.io.Serial, (bytes) => this.engine.receive(bytes));
    this.engine = new AtEngine(this.#link, platform.timers, transcript);
    this.power = new PowerLines(platform.io, platform.pins, platform.timers);
    this.#watchUrcs();
  }

  get transcript(): AtTranscript {
    return this.engine.transcript;
  }

  /** Sends one command; `done` gets the raw result. */
  run(command: AtCommand, done: (result: AtResult) => void): void {
    this.engine.send(command, done);
  }

  /** Sends a command that must end in OK. */
  ok(text: string, timeoutMs: number, done: Done): void {
    this.engine.send({ text, timeoutMs }, (result) => done(result.final.kind === "ok" ? undefined : commandError(result, text)));
  }

  /** Sends a query and hands over its answer lines (those starting with `prefix`). */
  query(
    text: string,
    prefix: string,
    timeoutMs: number,
    done: (error: ModemError | undefined, lines: string[]) => void,
    accept?: (line: string) => boolean,
  ): void {
    this.engine.send({ text, timeoutMs, responsePrefixes: [prefix], accept }, (result) => {
      done(result.final.kind === "ok" ? undefined : commandError(result, text), result.lines);
    });
  }

  /**
   * Sends a command whose outcome a URC reports (`AT+QMTOPEN` -> `+QMTOPEN: 0,0`). The wait is
   * armed before the command goes out, so a URC that overtakes the OK is not missed. `done`
   * gets the command's error when it did not end in OK, else the URC line (undefined when none
   * came within `urc.timeoutMs` after the command's own time limit).
   */
  commandThenUrc(
    command: AtCommand,
    urc: { prefix: string; timeoutMs: number; accept?: (line: string) => boolean },
    done: (error: ModemError | undefined, line: string | undefined, payload?: Uint8Array) => void,
    onAnswer?: (result: AtResult) => void,
  ): UrcWait {
    let finished = false;
    const finish = (error: ModemError | undefined, line: string | undefined, payload?: Uint8Array) => {
      if (finished) return;
      finished = true;
      done(error, line, payload);
    };
    const wait = this.engine.urcs.waitFor(urc.prefix, command.timeoutMs + urc.timeoutMs, (line, payload) => finish(undefined, line, payload), urc.accept);
    this.engine.send(command, (result) => {
      if (result.final.kind === "ok") onAnswer?.(result);
      if (result.final.kind === "ok" || finished) return;
      wait.cancel();
      finish(commandError(result, command.text), undefined);
    });
    return { cancel: () => { finished = true; wait.cancel(); } };
  }

  /** Sends `AT` up to `attempts` times, `gapMs` apart; true as soon as one gets OK. */
  probe(attempts: number, gapMs: number, done: (alive: boolean) => void): void {
    this.engine.send({ text: "AT", timeoutMs: TIMEOUTS.probe }, (result) => {
      if (result.final.kind === "ok") return done(true);
      if (result.final.kind === "aborted" || attempts <= 1) return done(false);
      const epoch = this.#epoch;
      this.#platform.timers.set(() => { if (epoch === this.#epoch) this.probe(attempts - 1, gapMs, done); }, gapMs);
    });
  }

  /**
   * Brings the module up: supply on and a PWRKEY press when it was unpowered; when powered,
   * an `AT` probe first, because pressing PWRKEY on a running module would switch it off.
   */
  powerOn(done: Done): void {
    // What the last session saw stays readable (health) until a new one starts.
    this.status.registration = {};
    this.status.ipAddress = undefined;
    if (!this.power.supplied) {
      this.power.setSupply(true);
      const epoch = this.#epoch;
      this.#platform.timers.set(() => { if (epoch === this.#epoch) this.#pressAndBoot(done); }, POWER_TIMING.supplySettleMs);
      return;
    }
    this.probe(2, 200, (alive) => (alive ? done() : this.#pressAndBoot(done)));
  }

  /**
   * Arms the boot wait, then runs `trigger` (a pulse, a command) that makes the module boot;
   * the trigger calls `abandon` when it already knows no boot will come.
   */
  awaitBoot(trigger: (abandon: () => void) => void, done: (booted: boolean) => void): void {
    this.#cancelBootWait();
    const wait: BootWait = {
      done,
      sawRdy: false,
      timer: this.#platform.timers.set(() => this.#endBootWait(wait, false), TIMEOUTS.boot),
    };
    this.#bootWait = wait;
    trigger(() => this.#endBootWait(wait, false));
  }

  /** `AT+QPOWD=1` and the POWERED DOWN URC, then the supply is opened whatever happened. */
  powerDown(done: () => void): void {
    const cut = () => {
      this.power.setSupply(false);
      this.forget("powered down");
      done();
    };
    if (!this.power.supplied) return cut();
    this.commandThenUrc({ text: "AT+QPOWD=1", timeoutMs: TIMEOUTS.basic }, { prefix: "POWERED DOWN", timeoutMs: TIMEOUTS.powerDownUrc }, cut);
  }

  /** Drops every command, waiter and timed continuation (after a restart, on power loss). */
  forget(reason: string): void {
    this.#epoch++;
    this.#cancelBootWait();
    this.engine.abortAll(reason);
    this.engine.urcs.cancelWaiters();
    this.#link.discardOutput();
  }

  close(): void {
    this.#cancelBootWait();
    this.engine.abortAll("closed");
    this.#link.close();
    this.power.close();
  }

  #pressAndBoot(done: Done): void {
    this.awaitBoot(
      () => this.power.pressPowerKey(POWER_TIMING.powerOnPulseMs, () => undefined),
      (booted) => {
        if (booted) return done();
        // Some firmware prints no RDY at our baud rate: the module may still be up.
        this.probe(3, 200, (alive) => done(alive ? undefined : modemError("timeout", "no RDY and no answer after PWRKEY")));
      },
    );
  }

  #watchUrcs(): void {
    const urcs = this.engine.urcs;
    urcs.add({ prefix: "RDY", handle: () => this.#onBootUrc(false) });
    urcs.add({ prefix: "APP RDY", handle: () => this.#onBootUrc(true) });
    // Boot chatter, and the completion URCs of asynchronous commands that arrive after their
    // wait gave up: known lines, not stray ones.
    for (const prefix of ["+CFUN:", "+CPIN:", "+QIND:", "POWERED DOWN", "+QUSIM:", "+QMTOPEN:", "+QMTCONN:",
      "+QMTSUB:", "+QMTPUB:", "+QMTDISC:", "+QMTCLOSE:", "+QHTTPPOST:", "+QHTTPREAD:"]) {
      urcs.add({ prefix, handle: () => undefined });
    }
    for (const domain of ["eps", "gprs", "cs"] as const) {
      urcs.add({
        prefix: REGISTRATION_PREFIX[domain],
        handle: (line) => {
          const registration = parseRegistration(line);
          if (registration) this.noteRegistration(registration);
        },
      });
    }
    urcs.add({
      prefix: "+QMTSTAT:",
      handle: (line) => {
        const stat = parseMqttOutcome(line, "+QMTSTAT:");
        if (stat) this.events.onLinkDropped?.(stat.client, stat.result);
      },
    });
    urcs.add({
      prefix: "+QMTRECV:",
      payloadLength: mqttRecvPayloadLength,
      handle: (line, payload) => {
        const header = parseMqttRecv(line);
        if (header && payload) this.events.onMessage?.(header.topic, payload);
        else this.transcript.record("note", "QMTRECV without a counted payload ignored");
      },
    });
    urcs.add({
      prefix: "+QIURC:",
      handle: (line) => {
        const deact = /^\+QIURC: "pdpdeact",(\d+)$/.exec(line);
        if (deact) {
          this.status.ipAddress = undefined;
          this.events.onPdpDeactivated?.(Number(deact[1]));
        }
      },
    });
  }

  /** Records a registration state from a read answer or a URC. */
  noteRegistration(registration: Registration): void {
    this.status.registration[registration.domain] = registration;
    this.events.onRegistration?.(registration);
  }

  #onBootUrc(appReady: boolean): void {
    const wait = this.#bootWait;
    if (!wait) {
      if (appReady) return;
      if (this.events.onUnexpectedRestart) this.events.onUnexpectedRestart();
      else this.forget("modem restarted");
      return;
    }
    if (appReady) return this.#endBootWait(wait, true);
    if (wait.sawRdy) return;
    // RDY is followed by APP RDY on BG95 firmware; don't wait long for it where it never comes.
    wait.sawRdy = true;
    this.#platform.timers.clear(wait.timer);
    wait.timer = this.#platform.timers.set(() => this.#endBootWait(wait, true), 3000);
  }

  #endBootWait(wait: BootWait, booted: boolean): void {
    if (this.#bootWait !== wait) return;
    this.#bootWait = undefined;
    this.#platform.timers.clear(wait.timer);
    wait.done(booted);
  }

  #cancelBootWait(): void {
    const wait = this.#bootWait;
    if (!wait) return;
    this.#bootWait = undefined;
    this.#platform.timers.clear(wait.timer);
  }
}
