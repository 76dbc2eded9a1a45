/**
 * 7-bit characters with a parity bit over a UART that only frames 8N1 (nRF52 at some rates):
 * 7E1 and 8N1 put the same ten bits on the wire, so the parity bit travels as the eighth data
 * bit. The codec adds it before writing and checks and strips it after reading, dropping a bad
 * character exactly as a UART with hardware parity would.
 */
export type CharacterParity = "even" | "odd";

function parityBit(value: number, parity: CharacterParity): number {
  let ones = 0;
  for (let v = value & 0x7f; v; v >>= 1) ones += v & 1;
  const odd = ones & 1;
  return parity === "even" ? odd : odd ^ 1;
}

/** Each 7-bit character with its parity bit in bit 7, ready for an 8N1 UART. */
export function addParity(characters: Uint8Array, parity: CharacterParity): Uint8Array {
  const out = new Uint8Array(characters.length);
  for (let i = 0; i < characters.length; i++) {
    const value = characters[i] & 0x7f;
    out[i] = value | (parityBit(value, parity) << 7);
  }
  return out;
}

export interface CheckedCharacters {
  /** The 7-bit characters whose parity was right, in order. */
  characters: Uint8Array;
  /** How many were dropped for a wrong parity bit. */
  parityErrors: number;
}

/** Checks and strips the parity bit of bytes read by an 8N1 UART. */
export function checkParity(received: Uint8Array, parity: CharacterParity): CheckedCharacters {
  const characters = new Uint8Array(received.length);
  let kept = 0;
  for (let i = 0; i < received.length; i++) {
    const value = received[i] & 0x7f;
    if (received[i] >> 7 === parityBit(value, parity)) characters[kept++] = value;
  }
  return { characters: characters.slice(0, kept), parityErrors: received.length - kept };
}
