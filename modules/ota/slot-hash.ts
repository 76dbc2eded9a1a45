/**
 * SHA-256 of the image as it lies in the slot, read back from flash (not a RAM copy kept from the
 * download), a slice per timer tick so that the rest of the firmware keeps running.
 */
import type { Timers } from "../platform/clock.js";
import type { Flash } from "../platform/flash.js";
import { sha256Stream } from "../crypto/sha256.js";

export function hashSlot(slot: Flash, length: number, timers: Timers, sliceBytes: number, done: (digest: Uint8Array) => void): void {
  const hash = sha256Stream();
  let offset = 0;
  const step = () => {
    const count = Math.min(sliceBytes, length - offset);
    hash.update(slot.read(offset, count));
    offset += count;
    if (offset < length) timers.set(step, 0);
    else done(hash.digest());
  };
  timers.set(step, 0);
}
