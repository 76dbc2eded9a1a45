/**
 * The updater's turn in an open cellular session. A logger image is fetched within the session's
 * budget. A modem package outlasts any budget: the modem session hands its AT channel to the
 * updater (its 2-minute limit lifted) for the run, and takes it back afterwards. Without the
 * channel the package is not tried (the updater would take a silent modem for one on another
 * revision): the session reports "busy" and the package waits for the next one.
 */
import type { OtaAgent, SessionReport } from "./ota-agent.js";

/** What a modem package needs of the modem session; ModemSession fits. */
export interface ModemHandOver {
  beginModemUpdate(done: (error?: { kind: string; detail: string }) => void): void;
  endModemUpdate(): void;
}

export function runUpdaterSession(
  updater: Pick<OtaAgent, "status" | "runSession">,
  modem: ModemHandOver,
  budgetMs: number,
  done: (report: SessionReport) => void,
): void {
  const phase = updater.status().update?.phase;
  if (phase !== "modem-pending" && phase !== "modem-updating") return updater.runSession(budgetMs, done);
  modem.beginModemUpdate((error) => {
    if (error) return done({ outcome: "busy", fetchedBytes: 0 });
    updater.runSession(budgetMs, (report) => {
      modem.endModemUpdate();
      done(report);
    });
  });
}
