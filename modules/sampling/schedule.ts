/**
 * Sampling slots sit on a wall-clock grid, `k * interval + offset`, so that channels with the
 * same interval are read together (and share a rail's power-up), and a 15-minute channel reads at
 * :00, :15, :30 and :45 whatever the boot time.
 */

/** The first slot strictly after `afterMs`. */
export function nextSlot(afterMs: number, intervalMs: number, offsetMs: number): number {
  return (Math.floor((afterMs - offsetMs) / intervalMs) + 1) * intervalMs + offsetMs;
}

/** The end of the window of `windowMs` that `slotMs` belongs to; a slot on a boundary ends its window. */
export function windowEnd(slotMs: number, windowMs: number, offsetMs: number): number {
  return Math.ceil((slotMs - offsetMs) / windowMs) * windowMs + offsetMs;
}
