/** Firmware versions "major.minor.patch", each part 0..65535, compared numerically. */
import { FormatError, type ByteReader } from "../codec/byte-reader.js";
import type { ByteWriter } from "../codec/byte-writer.js";

export interface FirmwareVersion {
  major: number;
  minor: number;
  patch: number;
}

export const MAX_VERSION_PART = 0xffff;

function isPart(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_VERSION_PART;
}

export function isFirmwareVersion(version: FirmwareVersion): boolean {
  return isPart(version.major) && isPart(version.minor) && isPart(version.patch);
}

/** Undefined unless `text` is exactly three decimal parts without leading zeros. */
export function parseVersion(text: string): FirmwareVersion | undefined {
  const match = /^(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})$/.exec(text);
  if (!match) return undefined;
  const version = { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
  return isFirmwareVersion(version) ? version : undefined;
}

export function formatVersion(version: FirmwareVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/** Negative when a is older than b, zero when equal, positive when newer. */
export function compareVersions(a: FirmwareVersion, b: FirmwareVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Three uvarints, as every update format carries a version. */
export function writeVersion(out: ByteWriter, version: FirmwareVersion): void {
  if (!isFirmwareVersion(version)) throw new RangeError("version parts must be 0..65535");
  out.uvarint(version.major);
  out.uvarint(version.minor);
  out.uvarint(version.patch);
}

export function readVersion(reader: ByteReader): FirmwareVersion {
  const version = { major: reader.uvarint(), minor: reader.uvarint(), patch: reader.uvarint() };
  if (!isFirmwareVersion(version)) throw new FormatError(`version part above ${MAX_VERSION_PART}`);
  return version;
}
