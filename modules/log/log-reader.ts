/**
 * Reads records in sequence order from any sequence number, a sector at a time, holding one
 * frame in RAM. The stream it returns has no holes: records missing between the acknowledged
 * cursor and the oldest stored one, or inside a damaged sector, come back as gap records.
 */
import type { GapRecord, UplinkRecord } from "../uplink/records.js";
import { GapReason } from "../uplink/records.js";
import type { ByteSource } from "./frames.js";
import type { LogGeometry } from "./log-geometry.js";
import type { LossNote } from "./log-state.js";
import { readSectorHeader, walkFrames, type FrameStep } from "./sector-reader.js";

/** The part of the log's state a reader needs. */
export interface RingView {
  geometry: LogGeometry;
  tail: number;
  length: number;
  tailFirstSeq: number;
  headFirstSeq: number;
  headEnd: number;
  newestSeq: number;
  acked: number;
  loss: LossNote;
}

export function readRecords(source: ByteSource, view: RingView, fromSeq: number, maxRecords: number): UplinkRecord[] {
  const out: UplinkRecord[] = [];
  if (view.length === 0 || maxRecords <= 0 || fromSeq > view.newestSeq) return out;
  const { geometry } = view;
  const headers = new FirstSeqs(source, view);
  let seq = Math.max(fromSeq, 1);
  let lastTime = view.loss.time;
  if (seq < view.tailFirstSeq) {
    const first = Math.max(seq, view.acked + 1);
    if (first < view.tailFirstSeq) out.push(gap(first, view.tailFirstSeq - first, view.loss.reason || GapReason.Corrupt, lastTime));
    seq = view.tailFirstSeq;
  }
  const emit = (step: FrameStep): void => {
    const content = step.content;
    if (content.kind === "samples") {
      content.samples.forEach((sample, i) => {
        if (step.seq + i >= seq && out.length < maxRecords) out.push({ kind: "sample", seq: step.seq + i, sample });
      });
      lastTime = content.samples[content.samples.length - 1].time;
    } else if (content.kind === "gap") {
      const first = Math.max(seq, step.seq);
      out.push(gap(first, step.seq + step.span - first, content.gap.reason, content.gap.time));
      lastTime = content.gap.time;
    }
  };
  for (let k = headers.indexOf(seq); k < view.length && seq <= view.newestSeq && out.length < maxRecords; k++) {
    const isHead = k === view.length - 1;
    const first = headers.at(k);
    const nextFirst = isHead ? view.newestSeq + 1 : headers.at(k + 1);
    let reached = first;
    if (headers.readable(k)) {
      walkFrames(source, geometry, (view.tail + k) % geometry.sectors, isHead ? view.headEnd : geometry.sealOffset, first,
        (step) => {
          if (step.seq + step.span > nextFirst) return false;
          reached = step.seq + step.span;
          if (reached > seq) emit(step);
          return out.length < maxRecords;
        });
    }
    if (out.length >= maxRecords) break;
    const missingFrom = Math.max(seq, reached);
    if (missingFrom < nextFirst) out.push(gap(missingFrom, nextFirst - missingFrom, GapReason.Corrupt, lastTime));
    seq = Math.max(seq, nextFirst);
  }
  return out;
}

function gap(seq: number, lost: number, reason: number, time: number): GapRecord {
  return { kind: "gap", seq, lost, reason, time };
}

/**
 * First sequence numbers of the ring's sectors by ring index, from their headers. A header that
 * no longer reads takes the next sector's number: its sector then counts as holding nothing.
 */
export class FirstSeqs {
  #cachedIndex = -1;
  #cachedValue: number | undefined;

  constructor(private readonly source: ByteSource, private readonly view: RingView) {}

  readable(k: number): boolean {
    return k === 0 || k === this.view.length - 1 || this.#raw(k) !== undefined;
  }

  at(k: number): number {
    if (k === 0) return this.view.tailFirstSeq;
    if (k >= this.view.length - 1) return this.view.headFirstSeq;
    return this.#raw(k) ?? this.at(k + 1);
  }

  /** The ring index of the sector that holds `seq` (seq at least the tail's first). */
  indexOf(seq: number): number {
    let low = 0;
    let high = this.view.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.at(middle) <= seq) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  #raw(k: number): number | undefined {
    if (k !== this.#cachedIndex) {
      const sector = (this.view.tail + k) % this.view.geometry.sectors;
      this.#cachedIndex = k;
      this.#cachedValue = readSectorHeader(this.source, this.view.geometry, sector)?.firstSeq;
    }
    return this.#cachedValue;
  }
}
