/**
 * What a logger is given once, at manufacture, and keeps for life: its identity and secrets.
 * Stored in the platform's key-value storage under fixed keys; no console command, BLE request
 * or downlink reads or changes them, and nothing traces them.
 */
import type { KeyValueStore } from "../platform/platform.js";

export const PROVISIONING_KEYS = Object.freeze({
  deviceId: "dev.id",
  username: "srv.user",
  password: "srv.pass",
  caCertificate: "srv.ca",
});

export interface Provisioning {
  deviceId: number;
  /** Unique per device: the broker's username and password (or HTTPS basic credentials). */
  username: string;
  password: string;
  /** PEM text of the CA that issued the server's certificate. */
  caCertificate: Uint8Array;
}

const text = new TextDecoder();

/** The provisioning, or the list of what is missing: an unprovisioned logger samples and logs but never transmits. */
export function readProvisioning(storage: KeyValueStore): { provisioning?: Provisioning; missing: string[] } {
  const missing: string[] = [];
  const id = storage.read(PROVISIONING_KEYS.deviceId);
  const deviceId = id && id.length === 4 ? new DataView(id.buffer, id.byteOffset).getUint32(0, true) : 0;
  if (!deviceId) missing.push("device id");
  const username = storage.read(PROVISIONING_KEYS.username);
  if (!username || !username.length) missing.push("server username");
  const password = storage.read(PROVISIONING_KEYS.password);
  if (!password || !password.length) missing.push("server password");
  const caCertificate = storage.read(PROVISIONING_KEYS.caCertificate);
  if (!caCertificate || !caCertificate.length) missing.push("CA certificate");
  if (missing.length) return { missing };
  return {
    provisioning: { deviceId, username: text.decode(username), password: text.decode(password), caCertificate: caCertificate! },
    missing,
  };
}

export function writeProvisioning(storage: KeyValueStore, provisioning: Provisioning): void {
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, provisioning.deviceId, true);
  const encoder = new TextEncoder();
  storage.write(PROVISIONING_KEYS.deviceId, id);
  storage.write(PROVISIONING_KEYS.username, encoder.encode(provisioning.username));
  storage.write(PROVISIONING_KEYS.password, encoder.encode(provisioning.password));
  storage.write(PROVISIONING_KEYS.caCertificate, provisioning.caCertificate);
}
