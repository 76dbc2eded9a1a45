/**
 * The module's DFOTA (Quectel BG95/BG96 DFOTA User Guide): `AT+QFOTADL="<url>"` answers OK, then
 * the module fetches the delta package over HTTP(S) (`HTTPSTART`, `HTTPEND,<err>`), applies it
 * (`START`, `UPDATING,<pct>`), copies it over the running firmware (`RESTORE,<pct>`), reports
 * `END,<err>` and reboots into the new revision. While it applies a package it takes no commands.
 * Power lost before RESTORE leaves the old firmware; power lost during RESTORE is finished at the
 * next power-up ("Last upgrade was not finished") before the module starts.
 */
import { SUPPORTED_SUITES } from "./cipher-suites.js";
import { stringArg, type Bg95Context, type CommandHandler } from "./bg95-context.js";
import { decodeDfotaPackage } from "./dfota-package.js";
import { NETWORK_ERRORS } from "./http-stack.js";
import { parseUrl, type TlsClientParams } from "./modem-network.js";

export interface FotaTiming {
  /** From OK to HTTPSTART. */
  startMs: number;
  /** Download rate once the server answers. */
  bytesPerSecond: number;
  /** Between two UPDATING reports (ten of them). */
  updateStepMs: number;
  /** Between two RESTORE reports (ten of them). */
  restoreStepMs: number;
}

export const DEFAULT_FOTA_TIMING: FotaTiming = Object.freeze({ startMs: 1000, bytesPerSecond: 20_000, updateStepMs: 12_000, restoreStepMs: 800 });

/** `<http_err>` and `<err>` values of the DFOTA guide's chapter 5 used here. */
export const FOTA_ERRORS = Object.freeze({ HttpUnknown: 701, NetworkDeactivated: 709, BadPackage: 504, PatchMismatch: 510 });

/** The CA file the module checks the package server against (without it, it does not verify). */
export const FOTA_CA_FILE = "fota_cacert.pem";

const MAX_URL = 255;

/** Where a DFOTA stands; it outlives the module's power so that an interrupted RESTORE resumes. */
export interface FotaState {
  stage: "idle" | "downloading" | "updating" | "restoring";
  percent: number;
  /** The revision a RESTORE under way leads to. */
  restoringTo?: string;
}

/** What the DFOTA needs of the module beyond a command handler's context. */
export interface FotaHost {
  readonly state: FotaState;
  firmware(): string;
  /** Input is ignored while a package is being applied. */
  setApplying(applying: boolean): void;
  /** Installs the new firmware and restarts into it a moment later. */
  rebootInto(firmware: string): void;
}

export class FotaStack {
  readonly #ctx: Bg95Context;
  readonly #host: FotaHost;
  readonly #timing: FotaTiming;

  constructor(ctx: Bg95Context, host: FotaHost, timing: FotaTiming) {
    this.#ctx = ctx;
    this.#host = host;
    this.#timing = timing;
  }

  commands(): Map<string, CommandHandler> {
    const handlers = new Map<string, CommandHandler>();
    handlers.set("+QFOTADL", (line, reply) => {
      if (line.kind === "test") return reply.ok();
      const url = stringArg(line, 0);
      const target = url === undefined || url.length > MAX_URL ? undefined : parseUrl(url);
      if (!url || !target || line.args.length !== 1 || this.#host.state.stage !== "idle") return reply.error();
      reply.ok();
      this.#host.state.stage = "downloading";
      this.#later(this.#timing.startMs, () => {
        this.#report('"HTTPSTART"');
        this.#download(url, target.host);
      });
    });
    return handlers;
  }

  /** At power-up with a RESTORE cut short: finishes it, then starts the new firmware. */
  resume(): void {
    const to = this.#host.state.restoringTo;
    if (!to) return;
    this.#host.setApplying(true);
    this.#report('"Last upgrade was not finished,continue upgrade"');
    this.#restore(to);
  }

  #download(url: string, host: string): void {
    const ctx = this.#ctx;
    const failed = ctx.faults.takeFotaDownloadError();
    if (failed !== undefined) return this.#later(this.#timing.startMs, () => this.#end("HTTPEND", failed));
    if (!ctx.pdpAddress(1)) return this.#later(this.#timing.startMs, () => this.#end("HTTPEND", FOTA_ERRORS.NetworkDeactivated));
    const ca = ctx.files.get(FOTA_CA_FILE);
    const tls: TlsClientParams = { versions: ["TLSv1", "TLSv1.1", "TLSv1.2"], suites: [...SUPPORTED_SUITES.keys()], caPem: ca, serverName: host };
    const alive = ctx.sameBoot();
    ctx.network.httpsRequest({ method: "GET", url, contentType: "", fields: {}, body: new Uint8Array(0) }, tls, (outcome) => {
      if (!alive()) return;
      if (!outcome.ok) return this.#end("HTTPEND", NETWORK_ERRORS[outcome.failure]);
      if (outcome.value.status !== 200) return this.#end("HTTPEND", FOTA_ERRORS.HttpUnknown);
      const body = outcome.value.body;
      this.#later(Math.ceil((body.length * 1000) / this.#timing.bytesPerSecond), () => {
        if (!ctx.pdpAddress(1)) return this.#end("HTTPEND", NETWORK_ERRORS.closed);
        this.#report('"HTTPEND",0');
        this.#apply(body);
      });
    });
  }

  #apply(bytes: Uint8Array): void {
    const state = this.#host.state;
    const pkg = decodeDfotaPackage(bytes);
    state.stage = "updating";
    state.percent = 0;
    this.#host.setApplying(true);
    this.#later(this.#timing.startMs, () => {
      this.#report('"START"');
      if (!pkg) return this.#later(this.#timing.updateStepMs, () => this.#end("END", FOTA_ERRORS.BadPackage));
      if (pkg.fromRevision !== this.#host.firmware()) return this.#later(this.#timing.updateStepMs, () => this.#end("END", FOTA_ERRORS.PatchMismatch));
      this.#progress("UPDATING", this.#timing.updateStepMs, () => {
        state.stage = "restoring";
        state.restoringTo = pkg.toRevision;
        this.#restore(pkg.toRevision);
      });
    });
  }

  #restore(to: string): void {
    this.#host.state.percent = 0;
    this.#progress("RESTORE", this.#timing.restoreStepMs, () => {
      this.#report('"END",0');
      this.#finish();
      this.#host.rebootInto(to);
    });
  }

  /** Ten reports of `kind` from 10 % to 100 %, `stepMs` apart, then `then`. */
  #progress(kind: string, stepMs: number, then: () => void): void {
    const step = () => this.#later(stepMs, () => {
      this.#host.state.percent += 10;
      this.#report(`"${kind}",${this.#host.state.percent}%`);
      if (this.#host.state.percent < 100) step();
      else then();
    });
    step();
  }

  /** A failure report; the module goes on with the firmware it has. */
  #end(report: "HTTPEND" | "END", error: number): void {
    this.#report(`"${report}",${error}`);
    this.#finish();
  }

  #finish(): void {
    const state = this.#host.state;
    state.stage = "idle";
    state.percent = 0;
    state.restoringTo = undefined;
    this.#host.setApplying(false);
  }

  #report(what: string): void {
    this.#ctx.urc(`+QIND: "FOTA",${what}`);
  }

  #later(ms: number, run: () => void): void {
    const alive = this.#ctx.sameBoot();
    this.#ctx.scheduler.after(ms, () => { if (alive()) run(); });
  }
}
