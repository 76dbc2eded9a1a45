/**
 * The history's encoding (docs/firmware-update.md "History entry"), shared by the journal and the
 * update report, and the code of a trial's outcome (the report, the simulated bootloader's state).
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import type { TrialOutcome } from "../platform/update.js";
import { HISTORY_LENGTH, HISTORY_OUTCOMES, ROLLBACK_CAUSES, type HistoryEntry } from "./history.js";
import type { UpdateTarget } from "./manifest.js";
import { REFUSAL_REASONS } from "./refusal.js";
import { readVersion, writeVersion } from "./version.js";

export const TARGETS: readonly UpdateTarget[] = ["logger", "modem"];

export function code<T>(names: readonly T[], index: number, what: string): T {
  if (index >= names.length) throw new FormatError(`${what} code ${index} is unknown`);
  return names[index];
}

function historyDetail(entry: HistoryEntry): number {
  switch (entry.outcome) {
    case "rolled-back": return ROLLBACK_CAUSES.indexOf(entry.cause);
    case "refused": return REFUSAL_REASONS.indexOf(entry.reason);
    case "modem-failed": return entry.error;
    default: return 0;
  }
}

/** The history as the journal and the update report carry it: a count, then the entries. */
export function writeHistory(out: ByteWriter, history: readonly HistoryEntry[]): void {
  if (history.length > HISTORY_LENGTH) throw new RangeError(`history holds at most ${HISTORY_LENGTH} entries`);
  out.u8(history.length);
  for (const entry of history) {
    out.u8(HISTORY_OUTCOMES.indexOf(entry.outcome));
    out.u8(TARGETS.indexOf(entry.target));
    writeVersion(out, entry.version);
    out.u32(entry.atS);
    out.uvarint(historyDetail(entry));
  }
}

export function readHistory(reader: ByteReader): HistoryEntry[] {
  const count = reader.u8();
  if (count > HISTORY_LENGTH) throw new FormatError(`history of ${count} entries exceeds ${HISTORY_LENGTH}`);
  const history: HistoryEntry[] = [];
  for (let i = 0; i < count; i++) history.push(readEntry(reader));
  return history;
}

function readEntry(reader: ByteReader): HistoryEntry {
  const outcome = code(HISTORY_OUTCOMES, reader.u8(), "history outcome");
  const target = code(TARGETS, reader.u8(), "update target");
  const version = readVersion(reader);
  const atS = reader.u32();
  const detail = reader.uvarint();
  const wrongTarget = () => new FormatError(`a ${outcome} entry cannot be for the ${target}`);
  switch (outcome) {
    case "installed":
      if (target !== "logger") throw wrongTarget();
      return { outcome, target, version, atS };
    case "rolled-back":
      if (target !== "logger") throw wrongTarget();
      return { outcome, target, version, atS, cause: code(ROLLBACK_CAUSES, detail, "rollback cause") };
    case "refused":
      return { outcome, target, version, atS, reason: code(REFUSAL_REASONS, detail, "refusal reason") };
    case "modem-updated":
      if (target !== "modem") throw wrongTarget();
      return { outcome, target, version, atS };
    case "modem-failed":
      if (target !== "modem") throw wrongTarget();
      return { outcome, target, version, atS, error: detail };
  }
}


/** 0 none, 1 pending, 2 confirmed, 3 + cause index for a rollback. */
export function trialOutcomeCode(outcome: TrialOutcome): number {
  switch (outcome.kind) {
    case "none": return 0;
    case "pending": return 1;
    case "confirmed": return 2;
    case "rolled-back": return 3 + ROLLBACK_CAUSES.indexOf(outcome.cause);
  }
}

/** Undefined for a code no outcome has. */
export function trialOutcomeOf(value: number): TrialOutcome | undefined {
  if (value === 0) return { kind: "none" };
  if (value === 1) return { kind: "pending" };
  if (value === 2) return { kind: "confirmed" };
  const cause = ROLLBACK_CAUSES[value - 3];
  return cause ? { kind: "rolled-back", cause } : undefined;
}
