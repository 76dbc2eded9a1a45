/**
 * A modem that answers what Quectel DFOTA needs, on the board's modem UART: `AT`, `AT+QGMR` and
 * `AT+QFOTADL="<url>"`. Like the module (BG96/BG95 DFOTA User Guide) it answers OK, fetches the
 * delta package from the simulated update server (HTTPSTART, HTTPEND), applies it (START,
 * UPDATING with the percentage, END) and reboots into the new revision. A simulated package is the
 * text `DFOTA <from> <to>`; one for another base revision fails in the apply stage, as the module's
 * own check fails. Faults: an HTTP error, an apply error, or silence after a given report.
 */
import type { Scheduler } from "../scheduler.js";
import type { SerialTap } from "../serial-bus.js";
import type { SimUpdateServer } from "./update-server.js";

export interface DfotaTiming {
  commandMs: number;
  downloadMs: number;
  /** Between two UPDATING reports (ten of them). */
  updateStepMs: number;
  rebootMs: number;
}

export const DFOTA_TIMING: DfotaTiming = Object.freeze({ commandMs: 30, downloadMs: 90_000, updateStepMs: 20_000, rebootMs: 15_000 });

/** The modem's DFOTA error codes used here (Quectel's list, chapter 5 of the DFOTA guide). */
export const DFOTA_ERRORS = Object.freeze({ HttpNotFound: 702, PackageMismatch: 505 });

export interface DfotaFaults {
  /** HTTPEND reports this error instead of 0. */
  httpError?: number;
  /** END reports this error instead of 0. */
  applyError?: number;
  /** The modem goes silent after this report (the updater must time out). */
  silentAfter?: "HTTPSTART" | "START";
}

export function dfotaPackage(fromRevision: string, toRevision: string): Uint8Array {
  return Uint8Array.from(`DFOTA ${fromRevision} ${toRevision}`, (c) => c.charCodeAt(0));
}

export class SimDfotaModem {
  revision: string;
  faults: DfotaFaults = {};
  /** Lines received, for tests. */
  readonly received: string[] = [];
  readonly #scheduler: Scheduler;
  readonly #tap: SerialTap;
  readonly #server: SimUpdateServer;
  readonly #timing: DfotaTiming;
  #line = "";
  #busy = false;

  constructor(scheduler: Scheduler, tap: SerialTap, server: SimUpdateServer, revision: string, timing: DfotaTiming = DFOTA_TIMING) {
    this.#scheduler = scheduler;
    this.#tap = tap;
    this.#server = server;
    this.revision = revision;
    this.#timing = timing;
    tap.listener = { onBytes: (bytes) => this.#onBytes(bytes) };
  }

  #onBytes(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (byte === 0x0d) {
        const line = this.#line;
        this.#line = "";
        if (line !== "") this.#command(line);
      } else if (byte !== 0x0a) {
        this.#line += String.fromCharCode(byte);
      }
    }
  }

  #command(line: string): void {
    this.received.push(line);
    if (this.#busy) return;
    const answer = (lines: readonly string[], final: string): void => {
      this.#scheduler.after(this.#timing.commandMs, () => this.#send([...lines, final]));
    };
    if (line === "AT") return answer([], "OK");
    if (line === "AT+QGMR") return answer([this.revision], "OK");
    const fota = /^AT\+QFOTADL="(https?:\/\/[^"]+)"$/.exec(line);
    if (!fota) return answer([], "ERROR");
    answer([], "OK");
    this.#fota(fota[1]);
  }

  #fota(url: string): void {
    this.#busy = true;
    const t = this.#timing;
    let at = t.commandMs + 2000;
    const say = (report: string, last = false) => {
      const when = at;
      this.#scheduler.after(when, () => this.#send([`+QIND: "FOTA",${report}`]));
      if (last) this.#scheduler.after(when, () => { this.#busy = false; });
    };
    say('"HTTPSTART"');
    if (this.faults.silentAfter === "HTTPSTART") return;
    at += t.downloadMs;
    const match = /^https?:\/\/([^/]+)(\/.*)$/.exec(url);
    const answer = match && match[1] === this.#server.host ? this.#server.get(match[2], 0, 0xffff) : undefined;
    const httpError = this.faults.httpError ?? (answer && answer.status === 206 ? 0 : DFOTA_ERRORS.HttpNotFound);
    say(`"HTTPEND",${httpError}`, httpError !== 0);
    if (httpError !== 0 || !answer) return;
    at += 2000;
    say('"START"');
    if (this.faults.silentAfter === "START") return;
    for (let percent = 10; percent <= 100; percent += 10) {
      at += t.updateStepMs;
      say(`"UPDATING",${percent}%`);
    }
    const parts = String.fromCharCode(...answer.body).split(" ");
    const fits = parts.length === 3 && parts[0] === "DFOTA" && parts[1] === this.revision;
    const error = this.faults.applyError ?? (fits ? 0 : DFOTA_ERRORS.PackageMismatch);
    at += 1000;
    say(`"END",${error}`, error !== 0);
    if (error !== 0) return;
    this.#scheduler.after(at + t.rebootMs, () => {
      this.revision = parts[2];
      this.#busy = false;
      this.#send(["RDY"]);
    });
  }

  #send(lines: readonly string[]): void {
    const text = lines.map((line) => `\r\n${line}\r\n`).join("");
    this.#tap.send(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  }
}
