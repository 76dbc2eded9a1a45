/**
 * Pulses from a mechanical contact (a tipping bucket's reed switch) counted in firmware. Contact
 * bounce lasts milliseconds, far beyond a hardware glitch filter (ESP32: 12.7 µs at most), so each
 * closure is debounced (drivers/digital) and counted once when it becomes steady.
 */
import { DebouncedInput, type InputPlatform } from "../digital/debounced-input.js";
import type { PulseSource } from "./pulse-source.js";

export interface ContactPulseOptions {
  pin: number;
  debounceMs: number;
  activeLow: boolean;
}

export class ContactPulseSource implements PulseSource {
  readonly #input: DebouncedInput;
  #count = 0;

  constructor(platform: InputPlatform, options: ContactPulseOptions) {
    this.#input = new DebouncedInput(platform, {
      ...options,
      onChange: (state) => { if (state === 1) this.#count++; },
    });
  }

  count(): number {
    return this.#count;
  }

  close(): void {
    this.#input.close();
  }
}
