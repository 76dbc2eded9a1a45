/**
 * The simulator's stand-in for the factory. A real logger gets 32 bytes from its CSPRNG at
 * manufacture (generatePairingKey) and the same bytes go on its label. A simulated logger's key is
 * derived from its device id and the world seed instead, so that `datalogger app --device ID`
 * (playing the installer who scanned the label) and the simulated logger agree without a key file.
 * Simulator keys are therefore guessable by design; nothing real may use them.
 */
import { asciiBytes } from "../../../modules/crypto/bytes.js";
import { hkdf } from "../../../modules/crypto/hkdf.js";
import { PAIRING_KEY_BYTES } from "../../../modules/ble/key-schedule.js";
import { provisionPairingKey } from "../../../modules/ble/pairing-key.js";
import type { KeyValueStore } from "../../../modules/platform/platform.js";

export function simulatedPairingKey(deviceId: string, seed: string): Uint8Array {
  const utf8 = new TextEncoder();
  return hkdf(utf8.encode(deviceId), utf8.encode(`datalogger simulated factory ${seed}`), asciiBytes("ble pairing key"), PAIRING_KEY_BYTES);
}

/** What the factory does to a simulated logger's storage. */
export function provisionSimulatedLogger(storage: KeyValueStore, deviceId: string, seed: string): void {
  provisionPairingKey(storage, simulatedPairingKey(deviceId, seed));
}
