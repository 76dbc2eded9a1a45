/**
 * The per-device pairing key: 32 random bytes written to storage at manufacture (and printed on
 * the device label for the installer app), read once when the BLE service starts. It is never
 * traced, logged or sent; only keys derived from it leave this module's callers.
 */
import type { KeyValueStore, Random } from "../platform/platform.js";
import { PAIRING_KEY_BYTES } from "./key-schedule.js";

export const PAIRING_KEY_STORAGE_KEY = "ble.psk";

/** Undefined when the logger was never provisioned, or the stored value is not a key. */
export function readPairingKey(storage: KeyValueStore): Uint8Array | undefined {
  const key = storage.read(PAIRING_KEY_STORAGE_KEY);
  return key && key.length === PAIRING_KEY_BYTES ? key : undefined;
}

/** Manufacturing: a fresh key from the CSPRNG. */
export function generatePairingKey(random: Random): Uint8Array {
  return random.getRandomValues(new Uint8Array(PAIRING_KEY_BYTES));
}

export function provisionPairingKey(storage: KeyValueStore, key: Uint8Array): void {
  if (key.length !== PAIRING_KEY_BYTES) throw new RangeError(`pairing key must be ${PAIRING_KEY_BYTES} bytes`);
  storage.write(PAIRING_KEY_STORAGE_KEY, key);
}
