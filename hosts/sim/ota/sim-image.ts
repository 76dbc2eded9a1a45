/**
 * A firmware image of the simulated logger (docs/firmware-update.md "Simulated image"). The
 * simulator runs the same firmware code whatever the image, so an image is a header (what the
 * bootloader and the update checks need: model, version, security counter), an opaque payload,
 * and a trailing SHA-256 that the bootloader checks at every boot, like the digest ESP-IDF appends
 * to an application image. `behaviour` makes test images misbehave so that rollback can be tested.
 * One encoder, one decoder.
 */
import { ByteReader, FormatError } from "../../../modules/codec/byte-reader.js";
import { ByteWriter } from "../../../modules/codec/byte-writer.js";
import { constantTimeEqual } from "../../../modules/crypto/bytes.js";
import { sha256, SHA256_BYTES } from "../../../modules/crypto/sha256.js";
import { readTextField, writeTextField } from "../../../modules/ota/ascii-field.js";
import { MAX_MODEL_LENGTH } from "../../../modules/ota/manifest.js";
import { formatVersion, parseVersion, readVersion, writeVersion } from "../../../modules/ota/version.js";

const MAGIC = [0x44, 0x4c, 0x46, 0x57]; // "DLFW"
export const SIM_IMAGE_FORMAT = 1;

/** Test hooks the simulated firmware honours (hosts/sim/ota/image-firmware.ts). */
export const ImageBehaviour = Object.freeze({
  /** Throws as soon as it starts: the board resets with reason "crash". */
  CrashAtBoot: 0x01,
  /** Its self-check reports a failure. */
  FailSelfCheck: 0x02,
  /** Never gets as far as the self-check: only the watchdog ends it. */
  Hang: 0x04,
});
const KNOWN_BEHAVIOUR = 0x07;

export interface SimImage {
  version: string;
  securityCounter: number;
  model: string;
  behaviour: number;
  payload: Uint8Array;
}

export function encodeSimImage(image: SimImage): Uint8Array {
  const version = parseVersion(image.version);
  if (!version) throw new RangeError(`version "${image.version}" is not major.minor.patch`);
  if ((image.behaviour & ~KNOWN_BEHAVIOUR) !== 0) throw new RangeError(`unknown behaviour bits ${image.behaviour}`);
  const out = new ByteWriter(image.payload.length + 64);
  out.bytes(Uint8Array.from(MAGIC));
  out.u8(SIM_IMAGE_FORMAT);
  out.u8(image.behaviour);
  writeVersion(out, version);
  out.u32(image.securityCounter);
  writeTextField(out, image.model, MAX_MODEL_LENGTH, "model");
  out.u32(image.payload.length);
  out.bytes(image.payload);
  const unsigned = out.finish();
  out.bytes(sha256(unsigned));
  return out.finish();
}

/** The image's length from its first bytes (at least HEADER_PROBE_BYTES), or undefined when it is not one. */
export const HEADER_PROBE_BYTES = 64;

export function probeImageLength(head: Uint8Array): number | undefined {
  try {
    const reader = new ByteReader(head);
    readHeader(reader);
    const payloadLength = reader.u32();
    return reader.offset + payloadLength + SHA256_BYTES;
  } catch {
    return undefined;
  }
}

function readHeader(reader: ByteReader): Omit<SimImage, "payload"> {
  const magic = reader.take(4);
  if (MAGIC.some((byte, i) => magic[i] !== byte)) throw new FormatError("not a firmware image (magic)");
  const format = reader.u8();
  if (format !== SIM_IMAGE_FORMAT) throw new FormatError(`image format ${format} is unknown`);
  const behaviour = reader.u8();
  if ((behaviour & ~KNOWN_BEHAVIOUR) !== 0) throw new FormatError(`unknown behaviour bits ${behaviour}`);
  const version = formatVersion(readVersion(reader));
  const securityCounter = reader.u32();
  const model = readTextField(reader, MAX_MODEL_LENGTH, "model");
  return { version, securityCounter, model, behaviour };
}

/** Parses a whole image and checks its digest; throws FormatError otherwise. */
export function decodeSimImage(bytes: Uint8Array): SimImage {
  const reader = new ByteReader(bytes);
  const header = readHeader(reader);
  const payload = reader.take(reader.u32()).slice();
  const digestAt = reader.offset;
  const digest = reader.take(SHA256_BYTES);
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} byte(s) after the image digest`);
  if (!constantTimeEqual(digest, sha256(bytes.subarray(0, digestAt)))) throw new FormatError("image digest does not match");
  return { ...header, payload };
}
