/**
 * The parts of an ESP-IDF application image (esp_image_format.h, esp_app_desc.h) the ESP32
 * firmware-slot binding reads before it asks the IDF to boot a slot: the header's chip id, where
 * the image ends (segments, the checksum byte padded to 16 bytes, the appended SHA-256), and the
 * application description at the start of the first segment. Integrity (checksum, digest,
 * signature) is the IDF's to check: esp_ota_set_boot_partition verifies the whole image again.
 */
import { FormatError } from "../../modules/codec/byte-reader.js";

export const ESP_IMAGE_MAGIC = 0xe9;
export const ESP_APP_DESC_MAGIC = 0xabcd5432;
const HEADER_BYTES = 24;
const SEGMENT_HEADER_BYTES = 8;
const MAX_SEGMENTS = 16;
const DIGEST_BYTES = 32;
/** esp_app_desc_t sits right after the image header and the first segment's header. */
const DESCRIPTION_OFFSET = HEADER_BYTES + SEGMENT_HEADER_BYTES;
/** magic, secure_version, reserv1[2], version[32], project_name[32]. */
const DESCRIPTION_BYTES = 80;

export interface EspAppDescription {
  secureVersion: number;
  /** CONFIG_APP_PROJECT_VER. */
  version: string;
  /** The CMake project: `xs_esp32` for every Moddable application. */
  projectName: string;
}

export interface EspAppImage {
  /** esp_chip_id_t: 0 ESP32, 2 ESP32-S2, 5 ESP32-C3, 9 ESP32-S3, ... */
  chipId: number;
  /** Bytes from the header to the end of the appended digest; a signature sector may follow. */
  byteLength: number;
  description: EspAppDescription;
}

/** Reads `byteLength` bytes at `offset` of the partition holding the image. */
export type PartitionReader = (offset: number, byteLength: number) => Uint8Array;

function u32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset, true);
}

/** A NUL-terminated char[] field. */
function cString(bytes: Uint8Array, offset: number, size: number): string {
  let text = "";
  for (let i = offset; i < offset + size && bytes[i] !== 0; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/** Throws FormatError when the partition (of `partitionBytes`) does not start with an application image. */
export function readEspAppImage(read: PartitionReader, partitionBytes: number): EspAppImage {
  if (partitionBytes < DESCRIPTION_OFFSET + DESCRIPTION_BYTES) throw new FormatError("the partition is too small for an image");
  const header = read(0, HEADER_BYTES);
  if (header[0] !== ESP_IMAGE_MAGIC) throw new FormatError(`no image header (first byte 0x${header[0].toString(16)}, not 0xe9)`);
  const segments = header[1];
  if (segments < 1 || segments > MAX_SEGMENTS) throw new FormatError(`${segments} segments (1..${MAX_SEGMENTS} expected)`);
  let end = HEADER_BYTES;
  let firstSegmentBytes = 0;
  for (let i = 0; i < segments; i++) {
    if (end + SEGMENT_HEADER_BYTES > partitionBytes) throw new FormatError(`segment ${i} starts past the partition`);
    const length = u32(read(end, SEGMENT_HEADER_BYTES), 4);
    if (length % 4 !== 0) throw new FormatError(`segment ${i} is ${length} bytes, not a multiple of 4`);
    if (i === 0) firstSegmentBytes = length;
    end += SEGMENT_HEADER_BYTES + length;
    if (end > partitionBytes) throw new FormatError(`segment ${i} ends past the partition`);
  }
  // The checksum byte ends a 16-byte block; the SHA-256 of everything before follows when appended.
  const byteLength = Math.ceil((end + 1) / 16) * 16 + (header[23] === 1 ? DIGEST_BYTES : 0);
  if (byteLength > partitionBytes) throw new FormatError(`the image (${byteLength} bytes) does not fit the partition`);
  if (firstSegmentBytes < DESCRIPTION_BYTES) throw new FormatError("the first segment is too short for an application description");
  const description = read(DESCRIPTION_OFFSET, DESCRIPTION_BYTES);
  if (u32(description, 0) !== ESP_APP_DESC_MAGIC) throw new FormatError("no application description (esp_app_desc_t magic)");
  return {
    chipId: header[12] | (header[13] << 8),
    byteLength,
    description: {
      secureVersion: u32(description, 4),
      version: cString(description, 16, 32),
      projectName: cString(description, 48, 32),
    },
  };
}
