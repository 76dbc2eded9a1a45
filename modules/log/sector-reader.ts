/**
 * Reads one sector: its header, then its frames in order until the first one that is not valid.
 * Mount, the reader and the image decoder all walk sectors through here, so they agree on what
 * a sector holds.
 */
import type { Sample } from "../records/sample.js";
import { decodeAckBody, decodeGapBody, decodeHeaderBody, type GapBody, type SectorHeader } from "./frame-bodies.js";
import { FrameType, readFrame, type ByteSource } from "./frames.js";
import type { LogGeometry } from "./log-geometry.js";
import { decodeSamples } from "./sample-codec.js";

export type FrameContent =
  | { kind: "samples"; samples: Sample[] }
  | { kind: "gap"; gap: GapBody }
  | { kind: "ack"; acked: number };

export interface FrameStep {
  content: FrameContent;
  /** The first sequence number the frame covers (for an ack: the next one). */
  seq: number;
  /** How many sequence numbers it covers. */
  span: number;
  offset: number;
  size: number;
}

export interface WalkEnd {
  /** Offset (in the sector) just after the last frame accepted. */
  end: number;
  /** Sequence number after the last record accepted. */
  nextSeq: number;
}

export function readSectorHeader(source: ByteSource, geometry: LogGeometry, sector: number): SectorHeader | undefined {
  const base = sector * geometry.sectorSize;
  const frame = readFrame(source, base, base + geometry.headerSlot, geometry.unit);
  return frame && frame.type === FrameType.Header ? decodeHeaderBody(frame.body, geometry.code) : undefined;
}

/**
 * Calls `visit` for each valid frame of `sector` from the header slot up to `limit` (an offset in
 * the sector), numbering records from `firstSeq`; stops at the first invalid frame or when
 * `visit` returns false (that frame then counts as not accepted).
 */
export function walkFrames(source: ByteSource, geometry: LogGeometry, sector: number, limit: number, firstSeq: number,
  visit: (step: FrameStep) => boolean): WalkEnd {
  const base = sector * geometry.sectorSize;
  let offset = geometry.headerSlot;
  let seq = firstSeq;
  for (;;) {
    const frame = readFrame(source, base + offset, base + limit, geometry.unit);
    const content = frame && decodeContent(frame.type, frame.count, frame.body);
    if (!frame || !content) break;
    const span = content.kind === "samples" ? content.samples.length : content.kind === "gap" ? content.gap.lost : 0;
    if (!visit({ content, seq, span, offset, size: frame.size })) break;
    offset += frame.size;
    seq += span;
  }
  return { end: offset, nextSeq: seq };
}

/** The ack frame at `offset`, if one is there. */
export function readAckAt(source: ByteSource, geometry: LogGeometry, sector: number, offset: number): number | undefined {
  const base = sector * geometry.sectorSize;
  const frame = readFrame(source, base + offset, base + geometry.sectorSize, geometry.unit);
  return frame && frame.type === FrameType.Ack ? decodeAckBody(frame.body) : undefined;
}

function decodeContent(type: number, count: number, body: Uint8Array): FrameContent | undefined {
  if (type === FrameType.Samples) {
    const samples = decodeSamples(body, count);
    return samples && { kind: "samples", samples };
  }
  if (count !== 0) return undefined;
  if (type === FrameType.Gap) {
    const gap = decodeGapBody(body);
    return gap && { kind: "gap", gap };
  }
  if (type === FrameType.Ack) {
    const acked = decodeAckBody(body);
    return acked === undefined ? undefined : { kind: "ack", acked };
  }
  return undefined;
}
