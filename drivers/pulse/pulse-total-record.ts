/**
 * The saved running total of a pulse channel, in the platform's key-value store
 * (docs/configuration.md, "Saved state"): key `pt.<channel id>`, value 8 bytes, the pulse count
 * as an IEEE 754 double, little-endian. Raw pulses, not engineering units, so that a changed
 * K-factor rescales the whole history consistently.
 */

export function pulseTotalKey(channelId: number): string {
  return `pt.${channelId}`;
}

export function encodePulseTotal(pulses: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, pulses, true);
  return bytes;
}

/** The saved count, or undefined when the bytes are not one (wrong length, negative, fractional). */
export function decodePulseTotal(bytes: Uint8Array): number | undefined {
  if (bytes.length !== 8) return undefined;
  const pulses = new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
  return Number.isSafeInteger(pulses) && pulses >= 0 ? pulses : undefined;
}
