/**
 * A running pulse total that survives resets and power cuts. The counter hardware starts from zero
 * at every boot, so the total is the saved count plus what the source has seen since. Saving on
 * every pulse would wear the flash out; the total is saved every `persistIntervalMs` when it has
 * changed, and on close. A power cut therefore loses at most the pulses of one persist interval,
 * and never counts a pulse twice: the saved count only ever holds pulses already seen.
 */
import type { TimerHandle, Timers } from "../../modules/platform/clock.js";
import type { KeyValueStore } from "../../modules/platform/platform.js";
import type { PulseSource } from "./pulse-source.js";
import { decodePulseTotal, encodePulseTotal, pulseTotalKey } from "./pulse-total-record.js";

export interface TotalizerPlatform {
  readonly storage: KeyValueStore;
  readonly timers: Timers;
  trace(line: string): void;
}

export class PulseTotalizer {
  readonly #platform: TotalizerPlatform;
  readonly #source: PulseSource;
  readonly #key: string;
  readonly #base: number;
  readonly #timer: TimerHandle;
  #saved: number;

  constructor(platform: TotalizerPlatform, source: PulseSource, channelId: number, persistIntervalMs: number) {
    this.#platform = platform;
    this.#source = source;
    this.#key = pulseTotalKey(channelId);
    this.#base = this.#load();
    this.#saved = this.#base;
    this.#timer = platform.timers.repeat(() => this.persist(), persistIntervalMs);
  }

  /** Pulses counted over the channel's life, across resets. */
  get pulses(): number {
    return this.#base + this.#source.count();
  }

  persist(): void {
    const pulses = this.pulses;
    if (pulses === this.#saved) return;
    this.#platform.storage.write(this.#key, encodePulseTotal(pulses));
    this.#saved = pulses;
  }

  close(): void {
    this.persist();
    this.#platform.timers.clear(this.#timer);
    this.#source.close();
  }

  #load(): number {
    const bytes = this.#platform.storage.read(this.#key);
    if (!bytes) return 0;
    const pulses = decodePulseTotal(bytes);
    if (pulses !== undefined) return pulses;
    this.#platform.trace(`pulse total ${this.#key} unreadable (${bytes.length} bytes); counting from 0`);
    return 0;
  }
}
