/**
 * Updates the cellular modem's own firmware with Quectel DFOTA: checks that the modem runs the
 * revision the signed package applies to, sends `AT+QFOTADL="<url>"`, follows the `+QIND: "FOTA"`
 * reports, and after the modem's reboot reads `AT+QGMR` to confirm the new revision. The AT
 * channel must be the updater's alone for the whole run (the modem session paused, its time limit
 * lifted): the download and the flashing take many minutes.
 */
import type { AtCommand, AtResult } from "../../drivers/modem/at/at-command.js";
import type { UrcHandler } from "../../drivers/modem/at/urc-table.js";
import type { TimerHandle, Timers } from "../platform/clock.js";
import { FOTA_URC_PREFIX, parseFotaUrc, type FotaEvent } from "./fota-urc.js";
import type { ModemPackage } from "./manifest.js";

/** The slice of the AT engine (drivers/modem/at) the updater uses; AtEngine itself fits. */
export interface ModemAt {
  send(command: AtCommand, done: (result: AtResult) => void): void;
  readonly urcs: { add(handler: UrcHandler): () => void };
}

export interface DfotaTimings {
  commandMs: number;
  /** Longest silence while the modem fetches the package. */
  downloadStallMs: number;
  /** Longest silence while it applies the package. */
  applyStallMs: number;
  /** Wait after `END,0` before asking for the revision: the modem reboots. */
  rebootSettleMs: number;
  revisionPolls: number;
  revisionPollMs: number;
}

export const DFOTA_TIMINGS: DfotaTimings = Object.freeze({
  commandMs: 10_000,
  downloadStallMs: 10 * 60_000,
  applyStallMs: 5 * 60_000,
  rebootSettleMs: 20_000,
  revisionPolls: 6,
  revisionPollMs: 10_000,
});

/** What `AT+QGMR` answers, e.g. `BG95M3LAR02A03_01.200.01.200`. */
const REVISION = /^[A-Za-z0-9][A-Za-z0-9_.-]{5,63}$/;

export type DfotaStage = "base" | "command" | "download" | "apply" | "verify";

export type ModemUpdateResult =
  | { ok: true; revision: string }
  | { ok: false; stage: DfotaStage; /** The modem's error code, 0 when none was given. */ error: number; message: string };

export class ModemFirmwareUpdater {
  readonly #at: ModemAt;
  readonly #timers: Timers;
  readonly #timings: DfotaTimings;

  constructor(at: ModemAt, timers: Timers, timings: DfotaTimings = DFOTA_TIMINGS) {
    this.#at = at;
    this.#timers = timers;
    this.#timings = timings;
  }

  /** The modem's firmware revision (`AT+QGMR`), undefined when it does not answer. */
  revision(done: (revision: string | undefined) => void): void {
    this.#at.send({ text: "AT+QGMR", timeoutMs: this.#timings.commandMs }, (result) => {
      // Lines such as "RDY" from a modem that just rebooted may land among the answer lines.
      const line = result.lines.map((text) => text.trim()).filter((text) => REVISION.test(text)).pop();
      done(result.final.kind === "ok" ? line : undefined);
    });
  }

  /** Applies `pkg`; `progress` sees every report; `done` once with the outcome. */
  update(pkg: ModemPackage, progress: (event: FotaEvent) => void, done: (result: ModemUpdateResult) => void): void {
    this.revision((revision) => {
      if (revision === pkg.toRevision) return done({ ok: true, revision });
      if (revision !== pkg.fromRevision) {
        return done({ ok: false, stage: "base", error: 0, message: `modem runs ${revision ?? "an unknown revision"}, the package applies to ${pkg.fromRevision}` });
      }
      this.#run(pkg, progress, done);
    });
  }

  #run(pkg: ModemPackage, progress: (event: FotaEvent) => void, done: (result: ModemUpdateResult) => void): void {
    const timings = this.#timings;
    let stage: DfotaStage = "command";
    let stall: TimerHandle | undefined;
    let finished = false;
    const finish = (result: ModemUpdateResult) => {
      if (finished) return;
      finished = true;
      this.#timers.clear(stall);
      removeHandler();
      done(result);
    };
    const watch = (ms: number) => {
      this.#timers.clear(stall);
      stall = this.#timers.set(() => finish({ ok: false, stage, error: 0, message: `no report from the modem for ${ms} ms` }), ms);
    };
    const removeHandler = this.#at.urcs.add({
      prefix: FOTA_URC_PREFIX,
      handle: (line) => {
        const event = parseFotaUrc(line);
        if (!event || finished || stage === "command") return;
        progress(event);
        switch (event.kind) {
          case "http-end":
            if (event.error !== 0) return finish({ ok: false, stage: "download", error: event.error, message: "the modem could not fetch the package" });
            return watch(timings.applyStallMs);
          case "start":
          case "updating":
          case "restore":
          case "resumed":
            stage = "apply";
            return watch(timings.applyStallMs);
          case "end":
            if (event.error !== 0) return finish({ ok: false, stage: "apply", error: event.error, message: "the modem could not apply the package" });
            stage = "verify";
            this.#timers.clear(stall);
            stall = this.#timers.set(() => this.#confirmRevision(pkg, timings.revisionPolls, finish), timings.rebootSettleMs);
            return;
          case "http-start":
            return watch(timings.downloadStallMs);
        }
      },
    });
    this.#at.send({ text: `AT+QFOTADL="${pkg.url}"`, timeoutMs: timings.commandMs }, (result) => {
      if (result.final.kind !== "ok") {
        const code = result.final.code;
        return finish({ ok: false, stage: "command", error: code !== undefined && code >= 0 ? code : 0, message: `AT+QFOTADL: ${result.final.text}` });
      }
      stage = "download";
      watch(timings.downloadStallMs);
    });
  }

  #confirmRevision(pkg: ModemPackage, pollsLeft: number, finish: (result: ModemUpdateResult) => void): void {
    this.revision((revision) => {
      if (revision === pkg.toRevision) return finish({ ok: true, revision });
      if (revision !== undefined || pollsLeft <= 1) {
        return finish({ ok: false, stage: "verify", error: 0, message: `modem reports ${revision ?? "nothing"} after the update, expected ${pkg.toRevision}` });
      }
      this.#timers.set(() => this.#confirmRevision(pkg, pollsLeft - 1, finish), this.#timings.revisionPollMs);
    });
  }
}
