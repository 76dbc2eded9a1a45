/**
 * Reasons the logger must stay awake (a modem firmware update in progress). The firmware does
 * not sleep between sessions yet (docs/hardware.md: deep sleep is a board call); when it does,
 * it asks here first. Held locks show in the console's diagnostics.
 */
import type { WakeLock } from "../ota/ota-agent.js";

export class WakeLocks implements WakeLock {
  readonly #held = new Map<number, string>();
  #next = 1;

  acquire(reason: string): () => void {
    const id = this.#next++;
    this.#held.set(id, reason);
    return () => { this.#held.delete(id); };
  }

  get held(): string[] {
    return [...this.#held.values()];
  }
}
