/**
 * What the updater keeps across resets (docs/firmware-update.md "Journal"): the update in
 * progress, the digest of the last manifest whose image failed, and the history. This file holds
 * the one encoder and the one decoder of the state's body; journal-store.ts frames and stores it.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { MAX_URL_LENGTH, readTextField, writeTextField } from "./ascii-field.js";
import type { HistoryEntry } from "./history.js";
import { code, readHistory, writeHistory } from "./history-codec.js";
import { MAX_MANIFEST_BYTES } from "./manifest.js";

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
export const PHASES: readonly UpdatePhase[] = ["downloading", "downloaded", "installing", "modem-pending", "modem-updating"];

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

export function encodeJournalState(state: JournalState): Uint8Array {
  const out = new ByteWriter(512);
  out.u8(JOURNAL_FORMAT);
  const update = state.update;
  out.u8(update ? PHASES.indexOf(update.phase) + 1 : 0);
  if (update) {
    out.uvarint(update.manifest.length);
    out.bytes(update.manifest);
    writeTextField(out, update.url, MAX_URL_LENGTH, "image URL", true);
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
  writeHistory(out, state.history);
  return out.finish();
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
    const url = readTextField(reader, MAX_URL_LENGTH, "image URL", true);
    state.update = {
      phase, manifest, url, written: reader.u32(), sessions: reader.uvarint(), failures: reader.uvarint(), mark: reader.u32(),
    };
  }
  const hasDigest = reader.u8();
  if (hasDigest > 1) throw new FormatError("failed-digest flag must be 0 or 1");
  if (hasDigest) state.failedDigest = reader.take(MANIFEST_DIGEST_BYTES).slice();
  state.history = readHistory(reader);
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} byte(s) after the journal state`);
  return state;
}
