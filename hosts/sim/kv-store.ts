import type { KeyValueStore } from "../../modules/platform/platform.js";

/** Key-value storage that lives as long as the simulated board; each write is atomic, like NVS. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, Uint8Array>();

  constructor(initial?: Record<string, Uint8Array>) {
    if (initial) for (const [key, value] of Object.entries(initial)) this.#entries.set(key, value.slice());
  }

  read(key: string): Uint8Array | undefined {
    return this.#entries.get(key)?.slice();
  }

  write(key: string, value: Uint8Array): void {
    if (key.length === 0 || key.length > 15) throw new RangeError(`key "${key}" must be 1..15 characters (NVS limit)`);
    this.#entries.set(key, value.slice());
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  keys(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /** Plain copy of all entries, for image files. */
  entries(): Record<string, Uint8Array> {
    const out: Record<string, Uint8Array> = {};
    for (const key of this.keys()) out[key] = this.#entries.get(key)!.slice();
    return out;
  }
}
