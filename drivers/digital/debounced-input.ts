/**
 * A digital input (door switch, alarm contact, tipping-bucket reed) with debounce: every raw
 * edge restarts a settle timer, and only when the pin has been quiet for `debounceMs` is its level
 * read and, if it differs from the last steady state, reported. A glitch shorter than the debounce
 * time that returns to the old level reports nothing. The change is stamped with the time of its
 * first edge, which is when the contact actually moved.
 */
import type { Clock, Timers, TimerHandle } from "../../modules/platform/clock.js";
import type { DigitalClass, DigitalIO } from "../../modules/platform/io.js";
import { DigitalEdge, DigitalMode } from "../../modules/platform/io.js";

export interface DebouncedInputOptions {
  pin: number;
  /** The contact pulls the pin low when active. */
  activeLow: boolean;
  debounceMs: number;
  /** A debounced change to `state` (1 = active), first seen at wall-clock `time`. */
  onChange(state: 0 | 1, time: number): void;
}

export interface InputPlatform {
  readonly io: { readonly Digital: DigitalClass };
  readonly timers: Timers;
  readonly clock: Clock;
}

export class DebouncedInput {
  readonly #io: DigitalIO;
  readonly #platform: InputPlatform;
  readonly #options: DebouncedInputOptions;
  #state: 0 | 1;
  #settle: TimerHandle | undefined;
  #firstEdgeAt = 0;

  constructor(platform: InputPlatform, options: DebouncedInputOptions) {
    this.#platform = platform;
    this.#options = options;
    const edge = () => this.#edge();
    this.#io = new platform.io.Digital({ pin: options.pin, mode: DigitalMode.Input, edge: DigitalEdge.Both, onReadable: edge });
    this.#state = this.#levelState();
  }

  /** The last steady state, 1 = active. */
  get state(): 0 | 1 {
    return this.#state;
  }

  close(): void {
    this.#platform.timers.clear(this.#settle);
    this.#settle = undefined;
    this.#io.close();
  }

  #levelState(): 0 | 1 {
    return (this.#io.read() ^ (this.#options.activeLow ? 1 : 0)) as 0 | 1;
  }

  #edge(): void {
    const { timers, clock } = this.#platform;
    if (this.#settle) timers.clear(this.#settle);
    else this.#firstEdgeAt = clock.now();
    if (this.#options.debounceMs === 0) {
      this.#settled();
      return;
    }
    this.#settle = timers.set(() => this.#settled(), this.#options.debounceMs);
  }

  #settled(): void {
    this.#settle = undefined;
    const state = this.#levelState();
    if (state === this.#state) return;
    this.#state = state;
    this.#options.onChange(state, this.#firstEdgeAt);
  }
}
