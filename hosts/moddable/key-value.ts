/**
 * The platform's KeyValueStore over `embedded:storage/key-value` opened with format "buffer":
 * ESP32 NVS (one namespace), nRF52 the `_MODPREF` flash region. Both silently misbehave or fail
 * with terse native errors past their limits, so the limits are checked here with a message
 * that names the key.
 */
import type { KeyValueStore } from "../../modules/platform/platform.js";

/** What the firmware uses of a store opened by `embedded:storage/key-value`. */
export interface KeyValueBackend {
  read(key: string): ArrayBuffer | string | number | bigint | undefined;
  write(key: string, value: ArrayBuffer): void;
  delete(key: string): void;
  [Symbol.iterator](): Iterator<string>;
}

export interface KeyValueLimits {
  /** NVS keys hold at most 15 characters; the same limit is kept everywhere so configurations move. */
  maxKeyLength: number;
  /** nRF52's `_MODPREF` store holds at most 63 bytes per value. */
  maxValueLength: number;
}

/** NVS itself takes blobs of many kilobytes; 4000 bytes keeps one write from filling the 24 KB partition. */
export const ESP32_KEY_VALUE_LIMITS: KeyValueLimits = Object.freeze({ maxKeyLength: 15, maxValueLength: 4000 });
export const NRF52_KEY_VALUE_LIMITS: KeyValueLimits = Object.freeze({ maxKeyLength: 15, maxValueLength: 63 });

export class BackendKeyValueStore implements KeyValueStore {
  readonly #backend: KeyValueBackend;
  readonly #limits: KeyValueLimits;

  constructor(backend: KeyValueBackend, limits: KeyValueLimits) {
    this.#backend = backend;
    this.#limits = limits;
  }

  read(key: string): Uint8Array | undefined {
    this.#checkKey(key);
    const value = this.#backend.read(key);
    if (value === undefined) return undefined;
    if (!(value instanceof ArrayBuffer)) throw new TypeError(`stored value of "${key}" is not bytes`);
    return new Uint8Array(value);
  }

  write(key: string, value: Uint8Array): void {
    this.#checkKey(key);
    if (value.length > this.#limits.maxValueLength) {
      throw new RangeError(`value of "${key}" is ${value.length} bytes; this board stores at most ${this.#limits.maxValueLength}`);
    }
    this.#backend.write(key, value.slice().buffer as ArrayBuffer);
  }

  delete(key: string): void {
    this.#checkKey(key);
    this.#backend.delete(key);
  }

  keys(): string[] {
    const keys: string[] = [];
    const iterator = this.#backend[Symbol.iterator]();
    for (let step = iterator.next(); !step.done; step = iterator.next()) keys.push(step.value);
    return keys.sort();
  }

  #checkKey(key: string): void {
    if (key.length === 0 || key.length > this.#limits.maxKeyLength) {
      throw new RangeError(`key "${key}" must be 1..${this.#limits.maxKeyLength} characters`);
    }
  }
}
