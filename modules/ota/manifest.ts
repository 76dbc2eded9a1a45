/**
 * The update manifest (docs/firmware-update.md "Manifest"): what an update is, signed by the
 * vendor. The signature covers the body bytes exactly as received; this file holds the one
 * encoder and the one decoder of the format. Decoding checks structure only; trust.ts checks
 * the signature and policy.ts whether this logger may install it.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { concatBytes } from "../crypto/bytes.js";
import { P256_SIGNATURE_BYTES } from "../crypto/ecdsa.js";
import { SHA256_BYTES } from "../crypto/sha256.js";
import { isImageUrl, MAX_URL_LENGTH, readTextField, writeTextField } from "./ascii-field.js";
import { readVersion, writeVersion, type FirmwareVersion } from "./version.js";

const MAGIC = [0x44, 0x4c, 0x55, 0x4d]; // "DLUM"
export const MANIFEST_FORMAT = 1;
export const KEY_ID_BYTES = 8;
export const MAX_MODEL_LENGTH = 32;
export const MAX_REVISION_LENGTH = 64;
/** Largest manifest the decoder accepts: every field at its longest. */
export const MAX_MANIFEST_BYTES = 4 + 2 + KEY_ID_BYTES + 4 + 9 + 4 + SHA256_BYTES + 1 + MAX_MODEL_LENGTH +
  2 * (1 + MAX_REVISION_LENGTH) + 2 + MAX_URL_LENGTH + P256_SIGNATURE_BYTES;

/** What an update replaces: the logger's own application, or the cellular modem's firmware. */
export type UpdateTarget = "logger" | "modem";
const TARGET_CODES: Record<UpdateTarget, number> = { logger: 1, modem: 2 };

/** A modem firmware delta: it applies to one revision and yields another; the modem fetches it itself. */
export interface ModemPackage {
  fromRevision: string;
  toRevision: string;
  url: string;
}

export interface ManifestBody {
  target: UpdateTarget;
  /** First 8 bytes of SHA-256 of the signing key's uncompressed public point. */
  keyId: Uint8Array;
  securityCounter: number;
  version: FirmwareVersion;
  imageSize: number;
  imageSha256: Uint8Array;
  /** Hardware model of the logger the update is for. */
  model: string;
  /** Present exactly when the target is the modem. */
  modem?: ModemPackage;
}

export interface SignedManifest extends ManifestBody {
  /** The signed bytes, as received. */
  body: Uint8Array;
  signature: Uint8Array;
}

export function encodeManifestBody(manifest: ManifestBody): Uint8Array {
  if (manifest.keyId.length !== KEY_ID_BYTES) throw new RangeError(`key id must be ${KEY_ID_BYTES} bytes`);
  if (manifest.imageSha256.length !== SHA256_BYTES) throw new RangeError("image hash must be 32 bytes");
  if (!Number.isInteger(manifest.imageSize) || manifest.imageSize < 1 || manifest.imageSize > 0xffffffff) {
    throw new RangeError("image size must be 1..2^32-1");
  }
  if (!Number.isInteger(manifest.securityCounter) || manifest.securityCounter < 0 || manifest.securityCounter > 0xffffffff) {
    throw new RangeError("security counter must be 0..2^32-1");
  }
  if ((manifest.target === "modem") !== (manifest.modem !== undefined)) {
    throw new RangeError("a modem package goes with the modem target, and only with it");
  }
  const out = new ByteWriter(256);
  out.bytes(Uint8Array.from(MAGIC));
  out.u8(MANIFEST_FORMAT);
  out.u8(TARGET_CODES[manifest.target]);
  out.bytes(manifest.keyId);
  out.u32(manifest.securityCounter);
  writeVersion(out, manifest.version);
  out.u32(manifest.imageSize);
  out.bytes(manifest.imageSha256);
  writeTextField(out, manifest.model, MAX_MODEL_LENGTH, "model");
  if (manifest.modem) {
    if (!isImageUrl(manifest.modem.url)) throw new RangeError("modem package URL must be an https URL");
    writeTextField(out, manifest.modem.fromRevision, MAX_REVISION_LENGTH, "from-revision");
    writeTextField(out, manifest.modem.toRevision, MAX_REVISION_LENGTH, "to-revision");
    writeTextField(out, manifest.modem.url, MAX_URL_LENGTH, "package URL");
  }
  return out.finish();
}

/** Body followed by its 64-byte signature: the manifest as it travels. */
export function joinManifest(body: Uint8Array, signature: Uint8Array): Uint8Array {
  if (signature.length !== P256_SIGNATURE_BYTES) throw new RangeError(`signature must be ${P256_SIGNATURE_BYTES} bytes`);
  return concatBytes(body, signature);
}

/** Parses a signed manifest; throws FormatError for anything but a well-formed one. */
export function decodeManifest(bytes: Uint8Array): SignedManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) throw new FormatError(`manifest of ${bytes.length} bytes exceeds ${MAX_MANIFEST_BYTES}`);
  if (bytes.length < P256_SIGNATURE_BYTES) throw new FormatError("manifest shorter than its signature");
  const body = bytes.subarray(0, bytes.length - P256_SIGNATURE_BYTES);
  const reader = new ByteReader(body);
  const magic = reader.take(4);
  if (MAGIC.some((byte, i) => magic[i] !== byte)) throw new FormatError("not an update manifest (magic)");
  const format = reader.u8();
  if (format !== MANIFEST_FORMAT) throw new FormatError(`manifest format ${format} is unknown`);
  const targetCode = reader.u8();
  const target = targetCode === TARGET_CODES.logger ? "logger" : targetCode === TARGET_CODES.modem ? "modem" : undefined;
  if (!target) throw new FormatError(`update target ${targetCode} is unknown`);
  const keyId = reader.take(KEY_ID_BYTES).slice();
  const securityCounter = reader.u32();
  const version = readVersion(reader);
  const imageSize = reader.u32();
  if (imageSize === 0) throw new FormatError("image size is zero");
  const imageSha256 = reader.take(SHA256_BYTES).slice();
  const model = readTextField(reader, MAX_MODEL_LENGTH, "model");
  const manifest: SignedManifest = {
    target, keyId, securityCounter, version, imageSize, imageSha256, model,
    body: body.slice(), signature: bytes.slice(bytes.length - P256_SIGNATURE_BYTES),
  };
  if (target === "modem") {
    const fromRevision = readTextField(reader, MAX_REVISION_LENGTH, "from-revision");
    const toRevision = readTextField(reader, MAX_REVISION_LENGTH, "to-revision");
    const url = readTextField(reader, MAX_URL_LENGTH, "package URL");
    if (!isImageUrl(url)) throw new FormatError("package URL is not an https URL");
    manifest.modem = { fromRevision, toRevision, url };
  }
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} unexpected byte(s) before the signature`);
  return manifest;
}
