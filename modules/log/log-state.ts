/**
 * What a log partition says about itself, worked out read-only from sector headers and one scan
 * of the head sector: O(sectors + sector size) bytes read, however many records it holds. Mount
 * starts from this, and the image decoder shows it.
 */
import { GapReason } from "../uplink/records.js";
import { isErased, type ByteSource } from "./frames.js";
import type { LogGeometry } from "./log-geometry.js";
import { locateRing, type RingLocation } from "./ring-locate.js";
import { readAckAt, walkFrames } from "./sector-reader.js";

/** Why the records between the acknowledged cursor and the oldest stored one are gone. */
export interface LossNote {
  reason: number;
  time: number;
}

export interface LogSnapshot {
  ring: RingLocation | undefined;
  /** Offset in the head after its last frame; the seal offset when the head takes no more frames. */
  headEnd: number;
  /** The head held a torn or damaged program after its last valid frame. */
  tornTail: boolean;
  /** The head's seal slot is still erased. */
  sealFree: boolean;
  /** Newest durable sequence number, 0 when there is none. */
  newestSeq: number;
  acked: number;
  loss: LossNote;
  /** Records missing with no durable explanation; they are now reported as a corrupt gap. */
  unexplained: { first: number; last: number } | undefined;
}

const EMPTY: LogSnapshot = {
  ring: undefined, headEnd: 0, tornTail: false, sealFree: false, newestSeq: 0, acked: 0,
  loss: { reason: 0, time: 0 }, unexplained: undefined,
};

export function inspectLog(source: ByteSource, geometry: LogGeometry): LogSnapshot {
  const ring = locateRing(source, geometry);
  if (!ring) return EMPTY;
  const header = ring.headHeader;
  const base = ring.head * geometry.sectorSize;
  let acked = header.acked;
  let lastTime = header.lossTime;
  const walk = walkFrames(source, geometry, ring.head, geometry.sealOffset, header.firstSeq, (step) => {
    const content = step.content;
    if (content.kind === "ack") {
      if (content.acked < acked || content.acked >= step.seq) return false;
      acked = content.acked;
    } else if (content.kind === "samples") {
      lastTime = content.samples[content.samples.length - 1].time;
    } else {
      lastTime = content.gap.time;
    }
    return true;
  });
  const newestSeq = walk.nextSeq - 1;
  const clean = isErased(source, base + walk.end, base + geometry.sealOffset);
  const sealed = readAckAt(source, geometry, ring.head, geometry.sealOffset);
  const sealValid = sealed !== undefined && sealed >= acked && sealed <= newestSeq;
  if (sealValid) acked = sealed;
  const sealFree = !sealValid && isErased(source, base + geometry.sealOffset, base + geometry.sectorSize);
  let loss: LossNote = { reason: header.lossReason, time: header.lossTime };
  let unexplained: LogSnapshot["unexplained"];
  const explained = Math.max(acked, header.lossEnd);
  if (ring.tailFirstSeq - 1 > explained) {
    unexplained = { first: explained + 1, last: ring.tailFirstSeq - 1 };
    loss = { reason: GapReason.Corrupt, time: lastTime };
  }
  return {
    ring, headEnd: clean ? walk.end : geometry.sealOffset, tornTail: !clean, sealFree, newestSeq, acked, loss, unexplained,
  };
}
