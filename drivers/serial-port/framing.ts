/**
 * Character framing and its timing, as the firmware computes it: every serial protocol here
 * times its gaps and windows in character times, which depend on the framing, not only the baud.
 */
import type { Parity, SerialFraming } from "../../modules/platform/io.js";

export interface Framing {
  baud: number;
  dataBits: 7 | 8;
  parity: Parity;
  stopBits: 1 | 2;
}

export function completeFraming(framing: SerialFraming): Framing {
  return {
    baud: framing.baud,
    dataBits: framing.dataBits ?? 8,
    parity: framing.parity ?? "none",
    stopBits: framing.stopBits ?? 1,
  };
}

/** Start bit, data bits, parity bit and stop bits. */
export function characterBits(framing: Framing): number {
  return 1 + framing.dataBits + (framing.parity === "none" ? 0 : 1) + framing.stopBits;
}

export function characterTimeMs(framing: Framing): number {
  return (characterBits(framing) * 1000) / framing.baud;
}
