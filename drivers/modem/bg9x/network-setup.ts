/**
 * From a booted module to a data connection: echo off and numeric errors, the SIM, the radio
 * (access technology order, bands, PSM), the APN, registration and the PDP context, then what
 * the network tells about itself (operator, signal, time).
 */
import type { Timers } from "../../../modules/platform/clock.js";
import type { Bg9xModem, Done } from "./bg9x-modem.js";
import { TIMEOUTS } from "./command-timeouts.js";
import { checkAtString } from "./fields.js";
import { modemError } from "./modem-error.js";
import { parseCclk, parseQlts } from "./network-time.js";
import { encodeActiveTime, encodePeriodicTau } from "./psm-timers.js";
import { isRegistered, isRegistrationRead, parseRegistration, RegistrationStat } from "./registration.js";
import { parseCsq, parseQcsq } from "./signal.js";

export type AccessTechnology = "m1" | "nb" | "gsm";

export interface RadioSettings {
  /** Scan order, e.g. Cat-M1 first, then NB-IoT, then EGPRS as the fallback. */
  scanOrder: readonly AccessTechnology[];
  /** Hex band masks for `AT+QCFG="band"`; without them the module keeps its own. */
  bands?: { gsm: string; m1: string; nb: string };
}

export interface ApnSettings {
  name: string;
  user?: string;
  password?: string;
  auth?: "none" | "pap" | "chap" | "pap-or-chap";
}

export interface PsmSettings {
  periodicTauS: number;
  activeTimeS: number;
}

const SCAN_CODES: Record<AccessTechnology, string> = { gsm: "01", m1: "02", nb: "03" };
const AUTH_CODES = { none: 0, pap: 1, chap: 2, "pap-or-chap": 3 } as const;
export const PDP_CONTEXT = 1;

/** What is wrong with these settings, or undefined. */
export function checkNetworkSettings(radio: RadioSettings, apn: ApnSettings): string | undefined {
  if (!radio.scanOrder.length || new Set(radio.scanOrder).size !== radio.scanOrder.length) return "radio scan order must list each technology once";
  if (radio.bands && ![radio.bands.gsm, radio.bands.m1, radio.bands.nb].every((b) => /^[0-9A-Fa-f]{1,20}$/.test(b))) return "band masks must be hex";
  if (!apn.name) return "APN is empty";
  return checkAtString(apn.name, "APN") ?? checkAtString(apn.user ?? "", "APN user") ?? checkAtString(apn.password ?? "", "APN password");
}

/** Runs the lines in order; the first failure ends the run. */
export function sendAll(modem: Bg9xModem, lines: readonly string[], timeoutMs: number, done: Done): void {
  let index = 0;
  const next = (error?: Parameters<Done>[0]) => {
    if (error || index === lines.length) return done(error);
    modem.ok(lines[index++], timeoutMs, next);
  };
  next();
}

/** Echo off, numeric errors, firmware version, and a SIM that is ready. */
export function initialise(modem: Bg9xModem, timers: Timers, done: Done): void {
  sendAll(modem, ["ATE0", "AT+CMEE=1"], TIMEOUTS.basic, (error) => {
    if (error) return done(error);
    modem.engine.send({ text: "AT+QGMR", timeoutMs: TIMEOUTS.basic }, (result) => {
      if (result.final.kind === "ok" && result.lines.length) modem.status.firmware = result.lines[0];
      if (result.final.kind === "timeout") return done(modemError("timeout", "AT+QGMR unanswered"));
      checkSim(modem, timers, 5, done);
    });
  });
}

function checkSim(modem: Bg9xModem, timers: Timers, attempts: number, done: Done): void {
  modem.engine.send({ text: "AT+CPIN?", timeoutMs: TIMEOUTS.cpin, responsePrefixes: ["+CPIN:"] }, (result) => {
    const final = result.final;
    if (final.kind === "ok") {
      const state = (result.lines[0] ?? "").replace("+CPIN:", "").trim();
      if (state === "READY") return done();
      return done(modemError("sim-locked", `SIM reports ${state || "nothing"}`));
    }
    if (final.kind === "cme-error" && final.code === 14 && attempts > 1) {
      timers.set(() => checkSim(modem, timers, attempts - 1, done), 1000);
      return;
    }
    if (final.kind === "cme-error" && (final.code === 10 || final.code === 13)) {
      return done(modemError("no-sim", final.code === 10 ? "SIM not inserted" : "SIM failure", final.code));
    }
    if (final.kind === "timeout") return done(modemError("timeout", "AT+CPIN? unanswered"));
    done(modemError("rejected", `AT+CPIN?: ${final.text}`, final.code));
  });
}

/** Access technology order, bands, PSM, registration URCs and the APN of context 1. */
export function configureRadio(modem: Bg9xModem, radio: RadioSettings, apn: ApnSettings, psm: PsmSettings | undefined, done: Done): void {
  const lines = [`AT+QCFG="nwscanseq",${radio.scanOrder.map((t) => SCAN_CODES[t]).join("")},1`];
  const lte = radio.scanOrder.filter((t) => t !== "gsm");
  lines.push(`AT+QCFG="iotopmode",${lte.length === 2 ? 2 : lte[0] === "nb" ? 1 : 0},1`);
  lines.push(`AT+QCFG="nwscanmode",${radio.scanOrder.indexOf("gsm") < 0 ? 3 : 0},1`);
  if (radio.bands) lines.push(`AT+QCFG="band",${radio.bands.gsm},${radio.bands.m1},${radio.bands.nb},1`);
  lines.push(psm ? `AT+CPSMS=1,,,"${encodePeriodicTau(psm.periodicTauS)}","${encodeActiveTime(psm.activeTimeS)}"` : "AT+CPSMS=0");
  lines.push("AT+CEREG=2", "AT+CGREG=2", "AT+CREG=2");
  if (apn.password) modem.transcript.addSecret(apn.password);
  const auth = AUTH_CODES[apn.auth ?? (apn.user ? "pap-or-chap" : "none")];
  lines.push(`AT+QICSGP=${PDP_CONTEXT},1,"${apn.name}","${apn.user ?? ""}","${apn.password ?? ""}",${auth}`);
  sendAll(modem, lines, TIMEOUTS.basic, done);
}

const REGISTRATION_POLL_MS = 2000;
const DENIED_POLLS = 3;

/**
 * Polls EPS and GPRS registration until one is registered (home or roaming). Registration
 * denied that persists for a few polls ends the wait at once; no coverage ends it at the
 * deadline.
 */
export function awaitRegistration(modem: Bg9xModem, timers: Timers, now: () => number, timeoutMs: number, done: Done): void {
  const deadline = now() + timeoutMs;
  let deniedPolls = 0;
  const read = (text: string, prefix: string, next: Done) => {
    modem.query(text, prefix, TIMEOUTS.basic, (error, lines) => {
      if (error && error.kind !== "rejected") return next(error);
      for (const line of lines) {
        const registration = parseRegistration(line);
        if (registration) modem.noteRegistration(registration);
      }
      next();
    }, isRegistrationRead);
  };
  const poll = () => {
    read("AT+CEREG?", "+CEREG:", (error) => {
      if (error) return done(error);
      read("AT+CGREG?", "+CGREG:", (error) => {
        if (error) return done(error);
        const { eps, gprs } = modem.status.registration;
        if ((eps && isRegistered(eps.stat)) || (gprs && isRegistered(gprs.stat))) return done();
        const denied = eps?.stat === RegistrationStat.Denied &&
          (!gprs || gprs.stat === RegistrationStat.Denied || gprs.stat === RegistrationStat.NotSearching);
        deniedPolls = denied ? deniedPolls + 1 : 0;
        if (deniedPolls >= DENIED_POLLS) return done(modemError("registration-denied", "the network denies registration", eps?.stat));
        if (now() >= deadline) return done(modemError("no-coverage", `not registered after ${timeoutMs} ms`, eps?.stat));
        timers.set(poll, REGISTRATION_POLL_MS);
      });
    });
  };
  poll();
}

/** Activates PDP context 1 unless it already is, and records its address. */
export function activatePdp(modem: Bg9xModem, done: Done): void {
  const readAddress = (next: (active: boolean) => void) => {
    modem.query("AT+QIACT?", "+QIACT:", TIMEOUTS.basic, (error, lines) => {
      if (error) return next(false);
      const match = lines.map((l) => /^\+QIACT: (\d+),(\d+),\d+,"([^"]*)"/.exec(l)).find((m) => m && Number(m[1]) === PDP_CONTEXT);
      if (match && match[2] === "1") modem.status.ipAddress = match[3];
      next(!!match && match[2] === "1");
    });
  };
  readAddress((active) => {
    if (active) return done();
    modem.ok(`AT+QIACT=${PDP_CONTEXT}`, TIMEOUTS.qiact, (error) => {
      if (error) return done(error.kind === "rejected" ? modemError("pdp-failed", error.detail, error.code) : error);
      readAddress(() => done());
    });
  });
}

/** Operator, signal and network time; the session goes on without them if the module balks. */
export function readNetworkInfo(modem: Bg9xModem, now: () => number, done: Done): void {
  const status = modem.status;
  status.networkTime = undefined;
  const steps: Array<[string, string, number, (line: string) => void]> = [
    ["AT+COPS?", "+COPS:", TIMEOUTS.cops, (line) => {
      const match = /^\+COPS: \d+,\d+,"([^"]*)"/.exec(line);
      if (match) status.operator = match[1];
    }],
    ["AT+CSQ", "+CSQ:", TIMEOUTS.basic, (line) => { status.signal = { ...status.signal, ...parseCsq(line) }; }],
    ["AT+QCSQ", "+QCSQ:", TIMEOUTS.basic, (line) => { status.signal = { ...status.signal, ...parseQcsq(line) }; }],
    ["AT+QLTS=1", "+QLTS:", TIMEOUTS.basic, (line) => {
      const time = parseQlts(line);
      if (time !== undefined) status.networkTime = { epochMs: time, atMonotonicMs: now() };
    }],
    ["AT+CCLK?", "+CCLK:", TIMEOUTS.basic, (line) => {
      const time = parseCclk(line);
      if (time !== undefined && !status.networkTime) status.networkTime = { epochMs: time, atMonotonicMs: now() };
    }],
  ];
  let index = 0;
  const next = () => {
    if (index === steps.length) return done();
    const [text, prefix, timeoutMs, use] = steps[index++];
    modem.query(text, prefix, timeoutMs, (error, lines) => {
      if (error && error.kind === "timeout") return done(error);
      lines.forEach(use);
      next();
    });
  };
  next();
}
