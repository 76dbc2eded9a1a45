/**
 * The binders of the last few ClientHellos the device accepted since boot. A replayed
 * ClientHello verifies (a binder alone is not fresh), so without this the device would answer it
 * with a ServerHello: useless to the replayer, who lacks the app's ephemeral secret, but the
 * design says the device stays silent to anyone without the key. Replays older than the window,
 * or from before a reboot, still fail at ClientFinished because the device's ephemeral key is new.
 */
const BINDER_PREFIX_BYTES = 16;

export class ReplayMemory {
  readonly #entries: Uint8Array[] = [];

  constructor(readonly capacity = 16) {}

  seen(binder: Uint8Array): boolean {
    return this.#entries.some((entry) => entry.every((byte, i) => byte === binder[i]));
  }

  remember(binder: Uint8Array): void {
    this.#entries.push(binder.slice(0, BINDER_PREFIX_BYTES));
    if (this.#entries.length > this.capacity) this.#entries.shift();
  }
}
