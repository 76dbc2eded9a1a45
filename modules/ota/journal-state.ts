/**
 * What the updater keeps across resets (docs/firmware-update.md "Journal"): the update in
 * progress, the digest of the last manifest whose image failed, and the history. This file holds
 * the one encoder and the one decoder of the state's body; journal-store.ts frames and stores it.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { fieldBytes, fieldText, MAX_URL_LENGTH } from "./ascii-field.js";
import { HISTORY_LENGTH, HISTORY_OUTCOMES, ROLLBACK_CAUSES, type HistoryEntry } from "./history.js";
import { MAX_MANIFEST_BYTES, type UpdateTarget } from "./manifest.js";
import { REFUSAL_REASONS } from "./refusal.js";
import { MAX_VERSION_PART, type FirmwareVersion } from "./version.js";

export const JOURNAL_FORMAT = 1;
export const MANIFEST_DIGEST_BYTES = 8;

/**
 * - downloading: image bytes [0, written) are in the inactive slot;
 * - downloaded: the whole image is in the slot, its hash not yet checked;
 * - installing: checked; markBootable is about to run or ran as trial number `mark`;
 * - modem-pending: a modem package waits for a session;
 * - modem-updating: the modem was told to fetch and apply it.
 */
export type UpdatePhase = "downloading" | "downloaded" | "installing" | "modem-pending" | "modem-updating";
const PHASES: readonly UpdatePhase[] = ["downloading", "downloaded", "installing", "modem-pending", "modem-updating"];
const TARGETS: readonly UpdateTarget[] = ["logger", "modem"];

export interface UpdateInProgress {
  phase: UpdatePhase;
  /** The signed manifest as accepted. */
  manifest: Uint8Array;
  /** Image URL ("" for a modem package). */
  url: string;
  written: number;
  /** Sessions that moved the download forward. */
  sessions: number;
  /** Failed fetches since the last one that worked. */
  failures: number;
  /** The trial number markBootable starts (phase installing), else 0. */
  mark: number;
}

export interface JournalState {
  update?: UpdateInProgress;
  /** First bytes of SHA-256 of the last manifest whose image failed: the same notice is not retried. */
  failedDigest?: Uint8Array;
  history: HistoryEntry[];
}

function historyDetail(entry: HistoryEntry): number {
  switch (entry.outcome) {
    case "rolled-back": return ROLLBACK_CAUSES.indexOf(entry.cause);
    case "refused": return REFUSAL_REASONS.indexOf(entry.reason);
    case "modem-failed": return entry.error;
    default: return 0;
  }
}

function code<T>(names: readonly T[], index: number, what: string): T {
  if (index >= names.length) throw new FormatError(`${what} code ${index} is unknown`);
  return names[index];
}

export function encodeJournalState(state: JournalState): Uint8Array {
  const out = new ByteWriter(512);
  out.u8(JOURNAL_FORMAT);
  const update = state.update;
  out.u8(update ? PHASES.indexOf(update.phase) + 1 : 0);
  if (update) {
    out.uvarint(update.manifest.length);
    out.bytes(update.manifest);
    const url = update.url === "" ? new Uint8Array(0) : fieldBytes(update.url, MAX_URL_LENGTH, "image URL");
    out.uvarint(url.length);
    out.bytes(url);
    out.u32(update.written);
    out.uvarint(update.sessions);
    out.uvarint(update.failures);
    out.u32(update.mark);
  }
  if (state.failedDigest) {
    if (state.failedDigest.length !== MANIFEST_DIGEST_BYTES) throw new RangeError("failed digest must be 8 bytes");
    out.u8(1);
    out.bytes(state.failedDigest);
  } else {
    out.u8(0);
  }
  if (state.history.length > HISTORY_LENGTH) throw new RangeError(`history holds at most ${HISTORY_LENGTH} entries`);
  out.u8(state.history.length);
  for (const entry of state.history) {
    out.u8(HISTORY_OUTCOMES.indexOf(entry.outcome));
    out.u8(TARGETS.indexOf(entry.target));
    out.uvarint(entry.version.major);
    out.uvarint(entry.version.minor);
    out.uvarint(entry.version.patch);
    out.u32(entry.atS);
    out.uvarint(historyDetail(entry));
  }
  return out.finish();
}

function readVersion(reader: ByteReader): FirmwareVersion {
  const parts = [reader.uvarint(), reader.uvarint(), reader.uvarint()];
  if (parts.some((part) => part > MAX_VERSION_PART)) throw new FormatError("version part out of range");
  return { major: parts[0], minor: parts[1], patch: parts[2] };
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

export function decodeJournalState(bytes: Uint8Array): JournalState {
  const reader = new ByteReader(bytes);
  const format = reader.u8();
  if (format !== JOURNAL_FORMAT) throw new FormatError(`journal format ${format} is unknown`);
  const phaseCode = reader.u8();
  const state: JournalState = { history: [] };
  if (phaseCode !== 0) {
    const phase = code(PHASES, phaseCode - 1, "update phase");
    const manifestLength = reader.uvarint();
    if (manifestLength > MAX_MANIFEST_BYTES) throw new FormatError("journal manifest too long");
    const manifest = reader.take(manifestLength).slice();
    const urlLength = reader.uvarint();
    if (urlLength > MAX_URL_LENGTH) throw new FormatError("journal URL too long");
    const url = urlLength === 0 ? "" : fieldText(reader.take(urlLength), MAX_URL_LENGTH, "image URL");
    state.update = {
      phase, manifest, url, written: reader.u32(), sessions: reader.uvarint(), failures: reader.uvarint(), mark: reader.u32(),
    };
  }
  const hasDigest = reader.u8();
  if (hasDigest > 1) throw new FormatError("failed-digest flag must be 0 or 1");
  if (hasDigest) state.failedDigest = reader.take(MANIFEST_DIGEST_BYTES).slice();
  const count = reader.u8();
  if (count > HISTORY_LENGTH) throw new FormatError(`history of ${count} entries exceeds ${HISTORY_LENGTH}`);
  for (let i = 0; i < count; i++) state.history.push(readEntry(reader));
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} byte(s) after the journal state`);
  return state;
}
