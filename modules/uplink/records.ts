/**
 * What an uplink packet carries: samples with their log sequence numbers, and gaps that say
 * which sequence numbers will never come and why. Sequence numbers are the log's, end to end.
 */
import type { Sample } from "../records/sample.js";

export interface SampleRecord {
  kind: "sample";
  seq: number;
  sample: Sample;
}

export interface GapRecord {
  kind: "gap";
  /** First sequence number that was lost. */
  seq: number;
  /** How many consecutive sequence numbers were lost, at least 1. */
  lost: number;
  reason: number;
  /** When the loss was recorded, ms since the epoch. */
  time: number;
}

export type UplinkRecord = SampleRecord | GapRecord;

export const GapReason = Object.freeze({
  /** The drop-oldest policy overwrote records the server had not acknowledged. */
  Overwritten: 1,
  /**
   * The stop policy refused samples while the log was full of unacknowledged records; they were
   * numbered all the same, so that the loss shows as a gap and not as silence.
   */
  LogFull: 2,
  /** Mount found records it could not trust and skipped them. */
  Corrupt: 3,
});

/** The sequence number that follows a record. */
export function nextSeq(record: UplinkRecord): number {
  return (record.seq + (record.kind === "gap" ? record.lost : 1)) >>> 0;
}
