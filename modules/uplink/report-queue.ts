/**
 * Reports waiting to reach the server, kept in storage so that a reset (the restart that puts a
 * new configuration in force, or a power cut) does not lose a result the server waits for. Kept
 * in the report wire format itself (report.ts), so there is no second encoding of them.
 */
import type { KeyValueStore } from "../platform/platform.js";
import { decodeReports, encodeReports, type UplinkReport } from "./report.js";

const KEY = "upl.reports";
/** Oldest reports are dropped beyond this: they are outcomes for people, not data. */
const MAX_REPORTS = 16;

export class ReportQueue {
  readonly #storage: KeyValueStore;
  readonly #deviceId: number;
  #reports: UplinkReport[];

  constructor(storage: KeyValueStore, deviceId: number) {
    this.#storage = storage;
    this.#deviceId = deviceId;
    this.#reports = ReportQueue.#load(storage.read(KEY));
  }

  static #load(bytes: Uint8Array | undefined): UplinkReport[] {
    if (!bytes) return [];
    try {
      return decodeReports(bytes).reports;
    } catch {
      return [];
    }
  }

  get length(): number {
    return this.#reports.length;
  }

  /** Queues a report, unless the same outcome for the same configuration already waits. */
  add(report: UplinkReport): void {
    const waiting = this.#reports.some((r) => r.kind === "config-result" && report.kind === "config-result" &&
      r.version === report.version && r.outcome === report.outcome);
    if (waiting) return;
    this.#reports = [...this.#reports, report].slice(-MAX_REPORTS);
    this.#save();
  }

  /** The payload that carries every waiting report, or undefined when none waits. */
  payload(): { bytes: Uint8Array; count: number } | undefined {
    if (!this.#reports.length) return undefined;
    return { bytes: encodeReports(this.#deviceId, this.#reports), count: this.#reports.length };
  }

  /** The first `count` reports reached the server. */
  delivered(count: number): void {
    this.#reports = this.#reports.slice(count);
    this.#save();
  }

  #save(): void {
    if (this.#reports.length) this.#storage.write(KEY, encodeReports(this.#deviceId, this.#reports));
    else this.#storage.delete(KEY);
  }
}
