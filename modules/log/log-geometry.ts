/**
 * Where things sit in the log partition. The format is sector-size agnostic: every offset derives
 * from the erase block size and the write unit, which the header records so that a log is never
 * read with the wrong geometry.
 */
import type { Flash } from "../platform/flash.js";
import { alignUp, frameSize } from "./frames.js";

/** What reading a log needs from a flash partition (an image file provides the same). */
export type FlashGeometry = Pick<Flash, "byteLength" | "blockSize" | "writeGranularity">;

export interface LogGeometry {
  readonly sectors: number;
  readonly sectorSize: number;
  /** Write unit in bytes: 1, 4, or 16 (ESP32 flash encryption: each unit is written once). */
  readonly unit: number;
  /** Bytes reserved at the start of each sector for its header frame. */
  readonly headerSlot: number;
  /** Start of the seal slot, the last ack frame's worth of the sector; data frames end before it. */
  readonly sealOffset: number;
  /** The geometry byte of sector headers. */
  readonly code: number;
}

export const MIN_SECTORS = 3;
const MIN_SECTOR_SIZE = 256;
const MAX_SECTOR_SIZE = 1 << 23;
/** A header frame is 32 bytes at every write unit (see docs/log-format.md). */
const HEADER_SLOT = 32;
const ACK_BODY = 4;

export function logGeometry(flash: FlashGeometry): LogGeometry {
  const sectorSize = flash.blockSize;
  const unit = flash.writeGranularity;
  if (unit !== 1 && unit !== 4 && unit !== 16) throw new RangeError(`log: write unit ${unit} is not 1, 4 or 16`);
  if (!isPowerOfTwo(sectorSize) || sectorSize < MIN_SECTOR_SIZE || sectorSize > MAX_SECTOR_SIZE) {
    throw new RangeError(`log: sector size ${sectorSize} is not a power of two in ${MIN_SECTOR_SIZE}..${MAX_SECTOR_SIZE}`);
  }
  const sectors = flash.byteLength / sectorSize;
  if (!Number.isInteger(sectors) || sectors < MIN_SECTORS) {
    throw new RangeError(`log: ${flash.byteLength} bytes is not at least ${MIN_SECTORS} whole sectors of ${sectorSize}`);
  }
  return {
    sectors,
    sectorSize,
    unit,
    headerSlot: alignUp(HEADER_SLOT, unit),
    sealOffset: sectorSize - frameSize(ACK_BODY, unit),
    code: ((log2(sectorSize) - 8) << 4) | log2(unit),
  };
}

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;
}

function log2(value: number): number {
  return Math.round(Math.log(value) / Math.LN2);
}
