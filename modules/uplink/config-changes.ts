/**
 * Configuration changes that arrive by downlink (docs/downlink-format.md, "Configuration"):
 * validated and applied whole by the configuration store, put in force by a restart, confirmed
 * by the first session that reaches the server under them, and reverted when
 * `revertAfterFailedSessions` sessions in a row could not. Each outcome becomes a report that
 * waits in storage until it has been delivered.
 */
import type { ApplyResult } from "../config/config-store.js";
import type { KeyValueStore } from "../platform/platform.js";
import type { ConfigMessage } from "./downlink.js";
import { ConfigOutcome, type ConfigResultReport } from "./report.js";

/** What the uplink needs of the configuration store (modules/config/config-store.ts). */
export interface ChangeableConfig {
  readonly config: { readonly version: number } | undefined;
  /** True while a change waits for a session that reaches the server. */
  readonly unconfirmed: boolean;
  /** The stored document, which a change edits. */
  document(): unknown;
  apply(document: unknown): ApplyResult;
  confirm(): void;
  /** Back to the previous document; false when there is none. */
  revert(): boolean;
}

const FAILED_SESSIONS_KEY = "upl.cfgfail";

export interface ChangeOutcome {
  report?: ConfigResultReport;
  /** The configuration in force changed: the logger must restart to run it. */
  restart: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class ConfigChanges {
  readonly #store: ChangeableConfig;
  readonly #storage: KeyValueStore;
  /** The version this boot runs: a change confirms only once it is the one running. */
  readonly #runningVersion: number;

  constructor(store: ChangeableConfig, storage: KeyValueStore, runningVersion: number) {
    this.#store = store;
    this.#storage = storage;
    this.#runningVersion = runningVersion;
  }

  /** A change from the server: applied (restart to follow) or refused with the reasons. */
  receive(message: ConfigMessage): ChangeOutcome {
    const current = this.#store.config?.version ?? 0;
    const rejected = (detail: string): ChangeOutcome => ({
      report: { kind: "config-result", version: message.version, outcome: ConfigOutcome.Rejected, detail }, restart: false,
    });
    // The same change delivered again (the broker re-sends until the session has taken it).
    if (message.version === current) {
      if (this.#store.unconfirmed) return { restart: false };
      return { report: { kind: "config-result", version: current, outcome: ConfigOutcome.Applied, detail: "already in force" }, restart: false };
    }
    let patch: unknown;
    try {
      patch = JSON.parse(message.document);
    } catch {
      return rejected("the document is not valid JSON");
    }
    if (!isObject(patch)) return rejected("the document is not a JSON object");
    const stored = this.#store.document();
    const result = this.#store.apply({ ...(isObject(stored) ? stored : {}), ...patch, version: message.version });
    if (!result.ok) return rejected(result.problems.join("; "));
    this.#storage.delete(FAILED_SESSIONS_KEY);
    return { restart: true };
  }

  /** A session reached the server: a change that is running is confirmed. */
  serverReached(): ChangeOutcome {
    if (!this.#store.unconfirmed || this.#store.config?.version !== this.#runningVersion) return { restart: false };
    this.#store.confirm();
    this.#storage.delete(FAILED_SESSIONS_KEY);
    return {
      report: { kind: "config-result", version: this.#runningVersion, outcome: ConfigOutcome.Applied, detail: "applied and confirmed" },
      restart: false,
    };
  }

  /** A session ended without reaching the server; after too many in a row a running change is undone. */
  sessionFailed(revertAfter: number): ChangeOutcome {
    if (!this.#store.unconfirmed || this.#store.config?.version !== this.#runningVersion) return { restart: false };
    const failed = this.failedSessions + 1;
    if (failed < revertAfter) {
      this.#storage.write(FAILED_SESSIONS_KEY, Uint8Array.of(failed));
      return { restart: false };
    }
    this.#storage.delete(FAILED_SESSIONS_KEY);
    if (!this.#store.revert()) return { restart: false };
    return {
      report: {
        kind: "config-result", version: this.#runningVersion, outcome: ConfigOutcome.Reverted,
        detail: `no session reached the server in ${failed} attempts; back to version ${this.#store.config?.version ?? 0}`,
      },
      restart: true,
    };
  }

  /** Sessions that failed since the running change was applied. */
  get failedSessions(): number {
    return this.#storage.read(FAILED_SESSIONS_KEY)?.[0] ?? 0;
  }
}
