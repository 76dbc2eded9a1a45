/** What became of each update, kept in the journal (newest last) and reported in health and the uplink. */
import type { RollbackCause } from "../platform/update.js";
import type { UpdateTarget } from "./manifest.js";
import type { RefusalReason } from "./refusal.js";
import type { FirmwareVersion } from "./version.js";

export const HISTORY_LENGTH = 8;

export const ROLLBACK_CAUSES: readonly RollbackCause[] = ["crash", "watchdog", "restart", "boot-attempts", "rejected", "invalid-image"];

/**
 * - installed: the logger image was confirmed after its self-check;
 * - rolled-back: the test-booted image did not confirm (detail: the cause);
 * - refused: a notice or an image was not taken (detail: the reason);
 * - modem-updated / modem-failed: a modem package was applied, or not (detail: the modem's error
 *   code, 0 when no result came).
 */
export type HistoryEntry =
  | { outcome: "installed"; target: "logger"; version: FirmwareVersion; atS: number }
  | { outcome: "rolled-back"; target: "logger"; version: FirmwareVersion; atS: number; cause: RollbackCause }
  | { outcome: "refused"; target: UpdateTarget; version: FirmwareVersion; atS: number; reason: RefusalReason }
  | { outcome: "modem-updated"; target: "modem"; version: FirmwareVersion; atS: number }
  | { outcome: "modem-failed"; target: "modem"; version: FirmwareVersion; atS: number; error: number };

export type HistoryOutcome = HistoryEntry["outcome"];
export const HISTORY_OUTCOMES: readonly HistoryOutcome[] = ["installed", "rolled-back", "refused", "modem-updated", "modem-failed"];

/** Appends, keeping the newest HISTORY_LENGTH entries. */
export function appendHistory(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const out = history.concat([entry]);
  return out.length > HISTORY_LENGTH ? out.slice(out.length - HISTORY_LENGTH) : out;
}
