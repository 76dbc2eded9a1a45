/**
 * Byte <-> text conversions for the AT link. Commands and result codes are ASCII; topics, URLs
 * and payload text may be UTF-8, so decoding goes through TextDecoder (non-fatal: a garbled
 * byte becomes U+FFFD and the line simply matches nothing).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
