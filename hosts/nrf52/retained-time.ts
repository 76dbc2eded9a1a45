/**
 * The mark `platform.restart()` leaves in nRF52 retained RAM before it resets the chip.
 *
 * nRF52 keeps the time of day as a software offset in RAM, so a software reset loses it (only
 * `Sleep.deep` saves it), and Moddable resets through the same software request when the XS
 * machine aborts. So restart writes the wall clock and a marker into two of the 32 retained
 * slots of Moddable's `sleep` module; the next boot takes the mark once: it tells a requested
 * restart from a crash, and gives the time back.
 *
 * Slots hold int32: MARK_SLOT holds the marker, SECONDS_SLOT the epoch seconds as uint32.
 */
export interface RetainedSlots {
  get(index: number): number;
  set(index: number, value: number): void;
}

export const MARK_SLOT = 30;
export const SECONDS_SLOT = 31;
const MARK = 0x52535452; // "RSTR"

export function leaveRestartMark(slots: RetainedSlots, epochMs: number): void {
  slots.set(SECONDS_SLOT, Math.floor(epochMs / 1000) | 0);
  slots.set(MARK_SLOT, MARK);
}

/** The epoch seconds saved by the restart that led to this boot, or undefined; clears the mark. */
export function takeRestartMark(slots: RetainedSlots): number | undefined {
  if (slots.get(MARK_SLOT) !== MARK) return undefined;
  slots.set(MARK_SLOT, 0);
  return slots.get(SECONDS_SLOT) >>> 0;
}
