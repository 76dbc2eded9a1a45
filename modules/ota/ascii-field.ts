/**
 * Text fields of the update formats: printable ASCII without spaces or quotes, so that a value can
 * be logged, compared byte for byte and placed inside a quoted AT command argument as it is.
 */
import { FormatError, type ByteReader } from "../codec/byte-reader.js";
import type { ByteWriter } from "../codec/byte-writer.js";

export function isFieldText(text: string, maxLength: number): boolean {
  if (text.length === 0 || text.length > maxLength) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x21 || code > 0x7e || code === 0x22) return false;
  }
  return true;
}

export function fieldBytes(text: string, maxLength: number, what: string): Uint8Array {
  if (!isFieldText(text, maxLength)) throw new RangeError(`${what} must be 1..${maxLength} printable ASCII characters without spaces or quotes`);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export function fieldText(bytes: Uint8Array, maxLength: number, what: string): string {
  const text = String.fromCharCode(...bytes);
  if (!isFieldText(text, maxLength)) throw new FormatError(`${what} is not 1..${maxLength} printable ASCII characters without spaces or quotes`);
  return text;
}

/** An image or package location: an https URL the modem can fetch. */
export const MAX_URL_LENGTH = 255;

export function isImageUrl(url: string): boolean {
  return isFieldText(url, MAX_URL_LENGTH) && /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/./.test(url);
}

/** A text field as the update formats carry it: its length as a uvarint, then the characters. */
export function writeTextField(out: ByteWriter, text: string, maxLength: number, what: string, emptyAllowed = false): void {
  const bytes = emptyAllowed && text === "" ? new Uint8Array(0) : fieldBytes(text, maxLength, what);
  out.uvarint(bytes.length);
  out.bytes(bytes);
}

export function readTextField(reader: ByteReader, maxLength: number, what: string, emptyAllowed = false): string {
  const length = reader.uvarint();
  if (length > maxLength) throw new FormatError(`${what} of ${length} bytes is longer than ${maxLength}`);
  if (length === 0 && emptyAllowed) return "";
  return fieldText(reader.take(length), maxLength, what);
}
