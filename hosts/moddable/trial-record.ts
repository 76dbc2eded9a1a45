/**
 * What the ESP32 firmware-slot binding keeps in NVS (namespace `dlslots`, key `trial`; the format
 * is in docs/firmware-update.md §13): how many images were marked bootable, which slot the last
 * mark went to and what became of it, and the security floor. ESP-IDF's otadata cannot count
 * marks (re-marking a slot after a rollback reuses its sequence number) and keeps no floor unless
 * eFuse anti-rollback is burnt in. One NVS value is written atomically, so the record is always
 * the old one or the new one. One encoder, one decoder.
 */
import { ByteReader, FormatError } from "../../modules/codec/byte-reader.js";
import { ByteWriter } from "../../modules/codec/byte-writer.js";
import { trialOutcomeCode, trialOutcomeOf } from "../../modules/ota/history-codec.js";
import type { TrialOutcome } from "../../modules/platform/update.js";

export const TRIAL_RECORD_FORMAT = 1;
export const TRIAL_RECORD_BYTES = 11;
const NO_SLOT = 0xff;

export interface TrialRecord {
  /** markBootable calls that reached the bootloader, over the board's life. */
  mark: number;
  /** OTA slot index (0 = ota_0) the last mark went to; undefined before the first. */
  slot: number | undefined;
  outcome: TrialOutcome;
  /** Lowest security counter markBootable still accepts. */
  floor: number;
}

export const FRESH_TRIAL_RECORD: TrialRecord = Object.freeze({ mark: 0, slot: undefined, outcome: Object.freeze({ kind: "none" as const }), floor: 0 });

export function encodeTrialRecord(record: TrialRecord): Uint8Array {
  if (record.slot !== undefined && !(Number.isInteger(record.slot) && record.slot >= 0 && record.slot < NO_SLOT)) {
    throw new RangeError(`slot ${record.slot} is not an OTA slot index`);
  }
  const out = new ByteWriter(TRIAL_RECORD_BYTES);
  out.u8(TRIAL_RECORD_FORMAT);
  out.u32(record.mark);
  out.u8(record.slot ?? NO_SLOT);
  out.u8(trialOutcomeCode(record.outcome));
  out.u32(record.floor);
  return out.finish();
}

/** Throws FormatError for anything encodeTrialRecord does not write. */
export function decodeTrialRecord(bytes: Uint8Array): TrialRecord {
  const reader = new ByteReader(bytes);
  const format = reader.u8();
  if (format !== TRIAL_RECORD_FORMAT) throw new FormatError(`trial record format ${format} is unknown`);
  const mark = reader.u32();
  const slotCode = reader.u8();
  const outcome = trialOutcomeOf(reader.u8());
  if (!outcome) throw new FormatError("trial record outcome is unknown");
  const floor = reader.u32();
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} byte(s) after the trial record`);
  const slot = slotCode === NO_SLOT ? undefined : slotCode;
  if ((outcome.kind === "none") !== (slot === undefined)) throw new FormatError("trial record slot and outcome disagree");
  return { mark, slot, outcome, floor };
}
