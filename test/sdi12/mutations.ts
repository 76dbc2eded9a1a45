/** Frame mutations for the protocol fuzzers; Node-free, shared by the SDI-12 and Modbus fuzz runs. */
import type { SeededRandom } from "../../hosts/sim/seeded-random.js";

export type MutationKind = "substitute" | "flip" | "swap" | "insert" | "delete" | "truncate" | "duplicate";

/** Changes that a 16-bit CRC always detects: a burst of at most 16 bits. */
export const BURST_MUTATIONS: readonly MutationKind[] = ["substitute", "flip", "swap"];
export const ALL_MUTATIONS: readonly MutationKind[] = ["substitute", "flip", "swap", "insert", "delete", "truncate", "duplicate"];

export function randomBytes(random: SeededRandom, maxLength: number, alphabet?: string): Uint8Array {
  const length = random.below(maxLength + 1);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = alphabet && random.next() < 0.8 ? alphabet.charCodeAt(random.below(alphabet.length)) : random.below(256);
  return bytes;
}

/** `frame` with one mutation of `kind`; may equal `frame` (e.g. swapping equal bytes). */
export function mutate(frame: Uint8Array, kind: MutationKind, random: SeededRandom): Uint8Array {
  const bytes = Array.from(frame);
  const at = random.below(Math.max(1, bytes.length));
  switch (kind) {
    case "substitute":
      if (bytes.length) bytes[at] = (bytes[at] + 1 + random.below(255)) & 0xff;
      break;
    case "flip":
      if (bytes.length) bytes[at] ^= 1 << random.below(8);
      break;
    case "swap":
      if (bytes.length > 1) {
        const i = Math.min(at, bytes.length - 2);
        [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
      }
      break;
    case "insert":
      bytes.splice(at, 0, random.below(256));
      break;
    case "delete":
      bytes.splice(at, 1);
      break;
    case "truncate":
      bytes.length = random.below(bytes.length);
      break;
    case "duplicate":
      bytes.splice(at, 0, ...bytes.slice(at, at + 1 + random.below(4)));
      break;
  }
  return Uint8Array.from(bytes);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
