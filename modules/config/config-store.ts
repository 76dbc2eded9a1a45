/**
 * Keeps the device configuration in the platform's key-value storage, as the JSON document it
 * was given (it is re-validated at every boot, against this board's pins). A change is applied
 * whole or not at all, and the previous document is kept until the change is confirmed — by a
 * session that reached the server — so that a change which cuts the logger off can be undone.
 */
import type { KeyValueStore, PinMap } from "../platform/platform.js";
import { DeviceConfigError, parseDeviceConfig, type DeviceConfig } from "./device-config.js";

const KEYS = Object.freeze({ current: "cfg", previous: "cfg.prev", unconfirmed: "cfg.unconf" });

export type ConfigSource = "stored" | "previous" | "none";

export type ApplyResult = { ok: true; config: DeviceConfig } | { ok: false; problems: readonly string[] };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ConfigStore {
  #config: DeviceConfig | undefined;
  #source: ConfigSource = "none";
  /** Why the stored document was not used, when it was not. */
  readonly problems: string[] = [];

  constructor(readonly storage: KeyValueStore, readonly pins: PinMap) {
    this.#load();
  }

  /** The configuration in force; undefined when none was ever provisioned or all stored ones are invalid. */
  get config(): DeviceConfig | undefined {
    return this.#config;
  }

  get source(): ConfigSource {
    return this.#source;
  }

  /** True while a change waits for a session that reaches the server. */
  get unconfirmed(): boolean {
    return this.storage.read(KEYS.unconfirmed) !== undefined;
  }

  /** The stored document, for a downlink that edits part of it. */
  document(): unknown {
    return this.#readDocument(KEYS.current);
  }

  /**
   * Validates `document` and makes it the configuration. Its version must be above the current
   * one. The current document is kept as the one to revert to until `confirm()`.
   */
  apply(document: unknown): ApplyResult {
    let config: DeviceConfig;
    try {
      config = parseDeviceConfig(document, this.pins);
    } catch (error) {
      if (error instanceof DeviceConfigError) return { ok: false, problems: error.problems };
      throw error;
    }
    if (this.#config && config.version <= this.#config.version) {
      return { ok: false, problems: [`version ${config.version} is not above the current ${this.#config.version}`] };
    }
    const current = this.storage.read(KEYS.current);
    if (current && this.#config) {
      this.storage.write(KEYS.previous, current);
      this.storage.write(KEYS.unconfirmed, Uint8Array.of(1));
    }
    this.storage.write(KEYS.current, encoder.encode(JSON.stringify(document)));
    this.#config = config;
    this.#source = "stored";
    return { ok: true, config };
  }

  /** A session reached the server under the current configuration: it stays. */
  confirm(): void {
    this.storage.delete(KEYS.unconfirmed);
  }

  /** Goes back to the previous document; false when there is none to go back to. */
  revert(): boolean {
    const previous = this.storage.read(KEYS.previous);
    if (!previous || !this.unconfirmed) return false;
    this.storage.write(KEYS.current, previous);
    this.storage.delete(KEYS.previous);
    this.storage.delete(KEYS.unconfirmed);
    this.#load();
    return true;
  }

  #load(): void {
    this.problems.length = 0;
    this.#config = undefined;
    this.#source = "none";
    for (const [key, source] of [[KEYS.current, "stored"], [KEYS.previous, "previous"]] as const) {
      const document = this.#readDocument(key);
      if (document === undefined) continue;
      try {
        this.#config = parseDeviceConfig(document, this.pins);
        this.#source = source;
        return;
      } catch (error) {
        if (!(error instanceof DeviceConfigError)) throw error;
        this.problems.push(`${key}: ${error.problems.join("; ")}`);
      }
    }
  }

  #readDocument(key: string): unknown {
    const bytes = this.storage.read(key);
    if (!bytes) return undefined;
    try {
      return JSON.parse(decoder.decode(bytes)) as unknown;
    } catch {
      this.problems.push(`${key}: not valid JSON`);
      return undefined;
    }
  }
}
