/**
 * The frame: the unit the ring log programs in one write. Every structure in a sector (header,
 * samples, gap, ack) is a frame, so one layout and one check decide what is trustworthy.
 *
 *   type:u8 length:u8 count:u8 body[length] crc32:u32   then 0xFF padding to the write unit
 *
 * The CRC-32 covers type, length, count and body. A frame is valid only if its CRC matches, so a
 * program torn by a power cut (any prefix or any subset of bits) reads as invalid, never as data.
 */
import { crc32 } from "../codec/crc32.js";

export const FrameType = Object.freeze({
  /** Sector header, the first frame of every sector. */
  Header: 0x48,
  /** Up to 255 samples. */
  Samples: 0x52,
  /** Sequence numbers that will never hold a sample (refused while the log was full). */
  Gap: 0x47,
  /** The acknowledged cursor. */
  Ack: 0x41,
});

/** type, length, count and CRC-32. */
export const FRAME_OVERHEAD = 7;
export const MAX_FRAME_BODY = 255;
/** The count byte: samples in one frame. */
export const MAX_FRAME_SAMPLES = 255;
export const ERASED_BYTE = 0xff;

export interface Frame {
  type: number;
  count: number;
  body: Uint8Array;
  /** Bytes the frame occupies on flash, padding included. */
  size: number;
}

/** What a frame reader needs from the flash: the log reads through this, counting bytes. */
export interface ByteSource {
  read(offset: number, byteLength: number): Uint8Array;
}

export function alignUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

export function frameSize(bodyLength: number, unit: number): number {
  return alignUp(FRAME_OVERHEAD + bodyLength, unit);
}

/** The bytes of one frame, padded with 0xFF to whole write units. */
export function encodeFrame(type: number, count: number, body: Uint8Array, unit: number): Uint8Array {
  const bytes = new Uint8Array(frameSize(body.length, unit)).fill(ERASED_BYTE);
  bytes[0] = type;
  bytes[1] = body.length;
  bytes[2] = count;
  bytes.set(body, 3);
  new DataView(bytes.buffer).setUint32(3 + body.length, crc32(bytes, 0, 3 + body.length), true);
  return bytes;
}

/**
 * The valid frame that starts at `offset` and ends before `limit`, or undefined: erased flash,
 * a torn or damaged frame, or no room for one. Callers decide what an undefined means.
 */
export function readFrame(source: ByteSource, offset: number, limit: number, unit: number): Frame | undefined {
  if (offset + FRAME_OVERHEAD > limit) return undefined;
  const head = source.read(offset, 3);
  if (head[0] === ERASED_BYTE) return undefined;
  const length = head[1];
  const size = frameSize(length, unit);
  if (offset + size > limit) return undefined;
  const bytes = source.read(offset, FRAME_OVERHEAD + length);
  const stored = new DataView(bytes.buffer, bytes.byteOffset).getUint32(3 + length, true);
  if (stored !== crc32(bytes, 0, 3 + length)) return undefined;
  return { type: bytes[0], count: bytes[2], body: bytes.subarray(3, 3 + length), size };
}

/** True when every byte of [from, to) is erased; reads in small chunks to keep RAM flat. */
export function isErased(source: ByteSource, from: number, to: number): boolean {
  const CHUNK = 64;
  for (let offset = from; offset < to; offset += CHUNK) {
    const bytes = source.read(offset, Math.min(CHUNK, to - offset));
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== ERASED_BYTE) return false;
  }
  return true;
}
