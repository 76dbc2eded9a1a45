/**
 * Who owns the modem while a technician troubleshoots it. The firmware's session is paused before
 * the first AT command goes out and resumed on `at done`, after IDLE_RELEASE_MS without an AT
 * command, or when the console closes, so a forgotten troubleshooting session cannot keep the
 * logger offline.
 *
 *   released --send--> pausing --paused ok--> paused --release/idle--> released
 *                         |  \--pause failed--> released
 *                         \--release--> (resumes as soon as the pause completes)
 */
import type { TimerHandle, Timers } from "../platform/clock.js";
import type { Answer, ConsoleModem } from "./services.js";

export const IDLE_RELEASE_MS = 120_000;

export type ModemSessionState = "released" | "pausing" | "paused";

export interface AtAnswer {
  lines: string[];
  final: string;
}

export class ModemSession {
  #state: ModemSessionState = "released";
  #releaseWhenPaused = false;
  #idleTimer: TimerHandle | undefined;

  constructor(
    readonly modem: ConsoleModem,
    readonly timers: Timers,
    /** Tells the technician when the firmware's session stops or starts again. */
    readonly notify: (text: string) => void,
    readonly idleReleaseMs = IDLE_RELEASE_MS,
  ) {}

  get state(): ModemSessionState {
    return this.#state;
  }

  /** Sends an already allowlisted command, pausing the firmware's session first if needed. */
  send(command: string, done: (answer: Answer<AtAnswer>) => void): void {
    if (this.#state === "paused") return this.#sendNow(command, done);
    if (this.#state === "pausing") return done({ ok: false, error: "modem is still being paused" });
    this.#state = "pausing";
    this.#releaseWhenPaused = false;
    this.modem.pause((result) => {
      if (this.#state !== "pausing") return;
      if (!result.ok) {
        this.#state = "released";
        return done({ ok: false, error: `modem not available: ${result.error}` });
      }
      this.#state = "paused";
      this.notify(`modem session paused for troubleshooting; at done resumes it (or ${this.idleReleaseMs / 1000} s idle)`);
      if (this.#releaseWhenPaused) {
        this.release();
        return done({ ok: false, error: "troubleshooting ended before the modem was paused" });
      }
      this.#sendNow(command, done);
    });
  }

  /** Gives the modem back to the firmware; returns false when it was not ours. */
  release(): boolean {
    if (this.#state === "pausing") {
      this.#releaseWhenPaused = true;
      return true;
    }
    if (this.#state !== "paused") return false;
    this.timers.clear(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#state = "released";
    this.modem.resume();
    this.notify("modem session resumed");
    return true;
  }

  #sendNow(command: string, done: (answer: Answer<AtAnswer>) => void): void {
    this.#armIdle();
    this.modem.sendAt(command, (lines, final) => {
      if (this.#state === "paused") this.#armIdle();
      done({ ok: true, value: { lines, final } });
    });
  }

  #armIdle(): void {
    this.timers.clear(this.#idleTimer);
    this.#idleTimer = this.timers.set(() => {
      this.#idleTimer = undefined;
      this.release();
    }, this.idleReleaseMs);
  }
}
