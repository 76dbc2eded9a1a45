/**
 * Faults a simulated serial peer puts into its answers, armed for a number of answers, and the
 * byte-level damage they do on the wire. The protocol-specific faults (a wrong CRC, answering for
 * another address) stay with each peer.
 */
import type { SeededRandom } from "../seeded-random.js";
import type { SerialTap } from "../serial-bus.js";

export interface AnswerFaults {
  /** No answer at all. */
  silent?: boolean;
  /** The answer starts this long after the request instead of on time. */
  lateMs?: number;
  /** Random bytes instead of the answer. */
  garbage?: boolean;
  /** Every character fails the receiver's parity check. */
  parityErrors?: boolean;
  /** The answer stops after this many bytes. */
  truncateAfter?: number;
}

export class FaultPlan<F extends AnswerFaults> {
  #faults: Partial<F> = {};
  #answers = 0;

  /** Applies `faults` to the next `answers` answers (all of them by default). */
  inject(faults: Partial<F>, answers = Infinity): void {
    this.#faults = faults;
    this.#answers = answers;
  }

  /** The faults armed now, without using one up. */
  get armed(): Partial<F> {
    return this.#answers > 0 ? this.#faults : {};
  }

  /** The faults for the next answer, using one up. */
  take(): Partial<F> {
    const faults = this.armed;
    if (this.#answers > 0 && --this.#answers === 0) this.#faults = {};
    return faults;
  }
}

/** The fault names, for a peer's event log. */
export function faultLabel(faults: AnswerFaults): string | undefined {
  return Object.keys(faults).join(",") || undefined;
}

/**
 * Sends `bytes` one at a time, as a device's UART does, after garbling or truncating them as
 * `faults` say; returns what went on the wire.
 */
export function sendAnswer(tap: SerialTap, bytes: Uint8Array, faults: AnswerFaults, random: SeededRandom, mask = 0xff): Uint8Array {
  let wire = bytes;
  if (faults.garbage) wire = random.getRandomValues(new Uint8Array(bytes.length)).map((b) => b & mask);
  if (faults.truncateAfter !== undefined) wire = wire.slice(0, faults.truncateAfter);
  for (const byte of wire) tap.send(Uint8Array.of(byte), faults.parityErrors ? "parity" : undefined);
  return wire;
}
