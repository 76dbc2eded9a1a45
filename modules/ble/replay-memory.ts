/**
 * The binders of the last few accepted ClientHellos. A replayed ClientHello verifies (the binder
 * is not fresh by itself), so without this the device would answer it with a ServerHello. That
 * answer is useless to the replayer, who lacks the app's ephemeral secret, but the design says
 * the device stays silent to anyone without the key; this keeps it silent for replays since boot
 * within the window. Older replays still get nowhere: they fail ClientFinished.
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
