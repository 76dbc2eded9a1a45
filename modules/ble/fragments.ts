/**
 * Splits protocol messages into GATT values of at most MTU - 3 bytes and joins them again.
 * Each value is `control ‖ chunk`: control bit 7 marks the last fragment, bits 0..6 count the
 * fragments of the message from 0. The layer is not authenticated; it only bounds sizes and
 * order, and whatever it joins is then checked whole (fixed handshake lengths, record MACs).
 */
import { concatBytes } from "../crypto/bytes.js";
import { ATT_HEADER_BYTES } from "./gatt.js";
import { SessionError } from "./session-error.js";

export const MAX_MESSAGE_BYTES = 1024;
const LAST = 0x80;
const INDEX_MASK = 0x7f;

export function fragmentMessage(message: Uint8Array, mtu: number): Uint8Array[] {
  const chunk = mtu - ATT_HEADER_BYTES - 1;
  if (message.length === 0 || message.length > MAX_MESSAGE_BYTES) {
    throw new RangeError(`message of ${message.length} bytes is outside 1..${MAX_MESSAGE_BYTES}`);
  }
  const count = Math.ceil(message.length / chunk);
  if (count > INDEX_MASK + 1) throw new RangeError(`${count} fragments exceed ${INDEX_MASK + 1}`);
  const fragments: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const part = message.subarray(index * chunk, Math.min(message.length, (index + 1) * chunk));
    const fragment = new Uint8Array(1 + part.length);
    fragment[0] = index | (index === count - 1 ? LAST : 0);
    fragment.set(part, 1);
    fragments.push(fragment);
  }
  return fragments;
}

export class Reassembler {
  #parts: Uint8Array[] = [];
  #length = 0;

  constructor(readonly maxBytes: number = MAX_MESSAGE_BYTES) {}

  /** True while part of a message has arrived. */
  get pending(): boolean {
    return this.#parts.length > 0;
  }

  /** The whole message once its last fragment is in; undefined before. Throws on any violation. */
  push(fragment: Uint8Array): Uint8Array | undefined {
    if (fragment.length < 2) throw new SessionError("fragment", `fragment of ${fragment.length} bytes carries no data`);
    const index = fragment[0] & INDEX_MASK;
    if (index !== this.#parts.length) throw new SessionError("fragment", `fragment ${index} arrived where ${this.#parts.length} was due`);
    this.#length += fragment.length - 1;
    if (this.#length > this.maxBytes) throw new SessionError("length", `message exceeds ${this.maxBytes} bytes`);
    this.#parts.push(fragment.subarray(1));
    if (!(fragment[0] & LAST)) return undefined;
    const message = concatBytes(...this.#parts);
    this.#parts = [];
    this.#length = 0;
    return message;
  }
}
