/**
 * What `datalogger sim` reads and keeps in files: the logger's configuration (the example's, or a
 * file given), and the simulated device's account in the data directory (a random password made
 * on first run, as a logger would get at manufacture).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Transport } from "../../../../modules/config/device-config.js";
import type { DeviceAccount } from "../../server/receiver.js";
import { simDeviceDocument } from "../../world/sim-world.js";

export const EXAMPLE_CHANNELS = new URL("../../../../examples/config/example.json", import.meta.url);
/** The example transmits every 5 minutes, so that a newcomer sees data land soon. */
export const EXAMPLE_INTERVAL_S = 300;

/**
 * The configuration document from `path` (a whole device configuration, or only a channel set,
 * which gets the example's uplink settings), or the example's. The uplink's host and port are the
 * simulated world's business and are set by the caller.
 */
export function loadDocument(path: string | undefined): Record<string, unknown> {
  const json: unknown = JSON.parse(readFileSync(path ?? EXAMPLE_CHANNELS, "utf8"));
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${path}: not a JSON object`);
  const document = json as Record<string, unknown>;
  if ("sampling" in document) return document;
  return simDeviceDocument(document, { intervalS: EXAMPLE_INTERVAL_S });
}

/** The document with its uplink pointed at `host:port`. */
export function pointedAt(document: Record<string, unknown>, host: string, port: number): Record<string, unknown> {
  const uplink = typeof document.uplink === "object" && document.uplink !== null ? document.uplink : {};
  return { ...document, uplink: { ...uplink, host, port } };
}

export function transportOf(document: Record<string, unknown>): Transport {
  return (document.uplink as { transport?: Transport } | undefined)?.transport === "https" ? "https" : "mqtt";
}

/** The simulated device's account, kept in `<dataDir>/device.json`. */
export function loadOrCreateAccount(dataDir: string): DeviceAccount {
  const path = join(dataDir, "device.json");
  if (existsSync(path)) {
    const account = JSON.parse(readFileSync(path, "utf8")) as DeviceAccount;
    if (Number.isInteger(account.deviceId) && typeof account.username === "string" && typeof account.password === "string") return account;
    throw new Error(`${path} is not a device account; delete it to make a new one`);
  }
  mkdirSync(dataDir, { recursive: true });
  const account: DeviceAccount = { deviceId: 1001, username: "logger-1001", password: randomBytes(16).toString("hex") };
  writeFileSync(path, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  return account;
}

/**
 * Wall-clock time at virtual time 0: 15 s before the next quarter hour from now (or from a fixed
 * day with a seed). The example's quarter-hour statistics and 5-minute rain are then logged 15 s
 * after boot, just before the first session (30 s after boot): data lands within the first minute.
 */
export function startEpoch(seeded: boolean): number {
  const quarter = 15 * 60_000;
  const from = seeded ? Date.UTC(2026, 2, 2) : Date.now();
  return Math.ceil(from / quarter) * quarter - 15_000;
}
