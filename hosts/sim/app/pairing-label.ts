/**
 * The pairing key as printed on the logger's label and QR code: "DL1:" and 64 upper-case hex
 * digits, all in the QR alphanumeric set so the code stays small (docs/ble-session.md "Pairing key").
 */
import { PAIRING_KEY_BYTES } from "../../../modules/ble/key-schedule.js";

const PREFIX = "DL1:";
const PATTERN = /^DL1:([0-9A-F]{64})$/;

export function formatPairingLabel(key: Uint8Array): string {
  if (key.length !== PAIRING_KEY_BYTES) throw new RangeError(`pairing key must be ${PAIRING_KEY_BYTES} bytes`);
  return PREFIX + Array.from(key, (byte) => byte.toString(16).padStart(2, "0")).join("").toUpperCase();
}

export function parsePairingLabel(label: string): Uint8Array {
  const match = PATTERN.exec(label.trim());
  if (!match) throw new Error(`not a pairing label: expected ${PREFIX} and 64 hex digits`);
  const key = new Uint8Array(PAIRING_KEY_BYTES);
  for (let i = 0; i < PAIRING_KEY_BYTES; i++) key[i] = parseInt(match[1].slice(2 * i, 2 * i + 2), 16);
  return key;
}
