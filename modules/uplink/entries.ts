/**
 * How downlink messages and reports sit in their payloads: kind:u8, length:uvarint, body. The
 * length lets a reader skip a kind it does not know; a body must be read to its last byte.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import type { ByteWriter } from "../codec/byte-writer.js";

export function writeEntry(out: ByteWriter, kind: number, body: Uint8Array): void {
  out.u8(kind);
  out.uvarint(body.length);
  out.bytes(body);
}

/** Every entry up to the end of `input`, each decoded from a reader over its body alone. */
export function readEntries<T>(input: ByteReader, decode: (kind: number, body: ByteReader) => T): T[] {
  const entries: T[] = [];
  while (input.remaining > 0) {
    const kind = input.u8();
    const body = new ByteReader(input.take(input.uvarint()));
    entries.push(decode(kind, body));
    if (body.remaining !== 0) throw new FormatError(`${body.remaining} byte(s) after an entry of kind ${kind}`);
  }
  return entries;
}
