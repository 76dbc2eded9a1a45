/**
 * Bodies of the fixed-layout frames: sector header, gap and ack. Samples frames have their own
 * codec (sample-codec.ts). Integers are little-endian; times are u48 ms since the epoch.
 */
import { ByteReader } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { GapReason } from "../uplink/records.js";

export const FORMAT_VERSION = 1;
export const HEADER_BODY = 25;
export const GAP_BODY = 11;
export const ACK_BODY = 4;
export const MAX_SEQ = 0xffffffff;

/**
 * Written once, right after the sector is erased: it proves the erase completed, orders the
 * sectors, and carries the cursors as they stood, so that mount reads headers, not records.
 */
export interface SectorHeader {
  /** Counts sector openings: the highest valid one is the head. */
  sectorSeq: number;
  /** Sequence number of the first record in this sector. */
  firstSeq: number;
  /** The acknowledged cursor when the sector was opened. */
  acked: number;
  /** Everything up to here was gone (acknowledged or lost) when the sector was opened. */
  lossEnd: number;
  /** Why (acked, lossEnd] was lost (GapReason), 0 when nothing was. */
  lossReason: number;
  /** When that loss happened, ms since the epoch. */
  lossTime: number;
}

export interface GapBody {
  lost: number;
  reason: number;
  time: number;
}

export function encodeHeaderBody(header: SectorHeader, geometryCode: number): Uint8Array {
  const out = new ByteWriter(HEADER_BODY);
  out.u8(FORMAT_VERSION);
  out.u8(geometryCode);
  out.u32(header.sectorSeq);
  out.u32(header.firstSeq);
  out.u32(header.acked);
  out.u32(header.lossEnd);
  out.u8(header.lossReason);
  writeU48(out, header.lossTime);
  return out.finish();
}

/** The header, or undefined if the body is not one this geometry wrote. */
export function decodeHeaderBody(body: Uint8Array, geometryCode: number): SectorHeader | undefined {
  if (body.length !== HEADER_BODY) return undefined;
  const input = new ByteReader(body);
  if (input.u8() !== FORMAT_VERSION || input.u8() !== geometryCode) return undefined;
  const header: SectorHeader = {
    sectorSeq: input.u32(),
    firstSeq: input.u32(),
    acked: input.u32(),
    lossEnd: input.u32(),
    lossReason: input.u8(),
    lossTime: readU48(input),
  };
  const hole = header.lossEnd > header.acked;
  const reasonOk = hole ? header.lossReason === GapReason.Overwritten || header.lossReason === GapReason.Corrupt
    : header.lossReason === 0 && header.lossTime === 0;
  const ordered = header.sectorSeq >= 1 && header.firstSeq >= 1 && header.acked < header.firstSeq &&
    header.lossEnd < header.firstSeq;
  return reasonOk && ordered ? header : undefined;
}

export function encodeGapBody(gap: GapBody): Uint8Array {
  const out = new ByteWriter(GAP_BODY);
  out.u32(gap.lost);
  out.u8(gap.reason);
  writeU48(out, gap.time);
  return out.finish();
}

export function decodeGapBody(body: Uint8Array): GapBody | undefined {
  if (body.length !== GAP_BODY) return undefined;
  const input = new ByteReader(body);
  const gap: GapBody = { lost: input.u32(), reason: input.u8(), time: readU48(input) };
  return gap.lost >= 1 && gap.reason === GapReason.LogFull ? gap : undefined;
}

export function encodeAckBody(acked: number): Uint8Array {
  const out = new ByteWriter(ACK_BODY);
  out.u32(acked);
  return out.finish();
}

export function decodeAckBody(body: Uint8Array): number | undefined {
  return body.length === ACK_BODY ? new ByteReader(body).u32() : undefined;
}

function writeU48(out: ByteWriter, value: number): void {
  out.u32(value % 0x100000000);
  const high = Math.floor(value / 0x100000000);
  out.u8(high & 0xff);
  out.u8(high >> 8);
}

function readU48(input: ByteReader): number {
  const low = input.u32();
  const high = input.u8() | (input.u8() << 8);
  return high * 0x100000000 + low;
}
