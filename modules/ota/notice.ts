/**
 * An update notice: the payload of the server's "update" downlink message (docs/firmware-update.md
 * "Notice"). It carries the signed manifest and where to fetch the image; the URL is not signed
 * and need not be, since the manifest pins the image's size and SHA-256. A modem package's URL is
 * inside its manifest, so its notice URL is empty. One encoder, one decoder.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { MAX_URL_LENGTH, readTextField, writeTextField } from "./ascii-field.js";
import { MAX_MANIFEST_BYTES } from "./manifest.js";

export const NOTICE_FORMAT = 1;

export interface UpdateNotice {
  manifest: Uint8Array;
  /** https URL of the image; "" for a modem package. */
  url: string;
}

export function encodeNotice(notice: UpdateNotice): Uint8Array {
  if (notice.manifest.length > MAX_MANIFEST_BYTES) throw new RangeError("manifest too long for a notice");
  const out = new ByteWriter(notice.manifest.length + notice.url.length + 8);
  out.u8(NOTICE_FORMAT);
  out.uvarint(notice.manifest.length);
  out.bytes(notice.manifest);
  writeTextField(out, notice.url, MAX_URL_LENGTH, "image URL", true);
  return out.finish();
}

export function decodeNotice(bytes: Uint8Array): UpdateNotice {
  const reader = new ByteReader(bytes);
  const format = reader.u8();
  if (format !== NOTICE_FORMAT) throw new FormatError(`notice format ${format} is unknown`);
  const manifestLength = reader.uvarint();
  if (manifestLength > MAX_MANIFEST_BYTES) throw new FormatError(`manifest of ${manifestLength} bytes is too long`);
  const manifest = reader.take(manifestLength).slice();
  const url = readTextField(reader, MAX_URL_LENGTH, "image URL", true);
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} byte(s) after the notice`);
  return { manifest, url };
}
