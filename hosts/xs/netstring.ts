/**
 * Netstrings (`<decimal length>:<bytes>,`), the framing xsnap-worker uses on its command pipes
 * (fd 3 in, fd 4 out). The reader is incremental because pipes deliver arbitrary chunks.
 */
import { concatBytes } from "../../modules/crypto/bytes.js";

const COLON = 0x3a;
const COMMA = 0x2c;
/** xsnap reads the length with "%9lu": nine digits at most. */
const MAX_LENGTH_DIGITS = 9;

export function encodeNetstring(...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  return concatBytes(new TextEncoder().encode(`${length}:`), ...parts, Uint8Array.of(COMMA));
}

export class NetstringReader {
  #buffer: Uint8Array = new Uint8Array(0);

  /** Adds received bytes (copied: callers may reuse their buffer); returns every message they complete. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.#buffer = concatBytes(this.#buffer, chunk);
    const messages: Uint8Array[] = [];
    for (;;) {
      const colon = this.#buffer.indexOf(COLON);
      if (colon < 0) {
        if (this.#buffer.length > MAX_LENGTH_DIGITS) throw new Error("netstring: no length prefix");
        return messages;
      }
      const digits = new TextDecoder().decode(this.#buffer.subarray(0, colon));
      if (!/^\d{1,9}$/.test(digits)) throw new Error(`netstring: bad length prefix "${digits.slice(0, 12)}"`);
      const length = Number(digits);
      const end = colon + 1 + length;
      if (this.#buffer.length < end + 1) return messages;
      if (this.#buffer[end] !== COMMA) throw new Error("netstring: missing trailing comma");
      messages.push(this.#buffer.slice(colon + 1, end));
      this.#buffer = this.#buffer.subarray(end + 1);
    }
  }

  /** Bytes received that do not yet form a whole message. */
  get pending(): number {
    return this.#buffer.length;
  }
}
