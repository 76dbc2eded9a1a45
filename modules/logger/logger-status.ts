/**
 * One read-only view of the running logger's state, shared by the console and the BLE
 * installer service so that both say the same thing. Built by main.ts from the subsystems.
 */
import type { SiteCheckResult, TransmissionResult } from "../ble/installer-status.js";
import type { ModemHealth } from "../../drivers/modem/session/session-health.js";
import type { HealthCounters } from "../health/counters.js";
import type { LogStats } from "../log/ring-log.js";

export interface LoggerStatus {
  counters: HealthCounters;
  modem(): ModemHealth;
  /** Undefined while the log is not mounted. */
  log(): LogStats | undefined;
  lastTransmission(): { result: TransmissionResult; timeMs: number | null; records: number };
  sampling(): { ticks: number; channels: number; unsampled: readonly string[] };
  /** Signal per radio technology, then one test transmission; `done` exactly once. */
  siteCheck(done: (result: SiteCheckResult) => void): void;
}
