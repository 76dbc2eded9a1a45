/**
 * The session key schedule (docs/ble-session.md "Key schedule"), shaped after TLS 1.3's
 * psk_dhe_ke: the pairing key is extracted once into a binder key and a salt; each session's
 * ECDH secret is extracted under that salt, and every key is expanded with the transcript hash,
 * one label per use and per direction.
 */
import { asciiBytes, concatBytes, wipe } from "../crypto/bytes.js";
import { hkdfExpand, hkdfExtract } from "../crypto/hkdf.js";
import { AES128_KEY_BYTES } from "../crypto/aes-cbc.js";
import { SHA256_BYTES } from "../crypto/sha256.js";

export const PAIRING_KEY_BYTES = 32;
const LABEL_PREFIX = "DL-BLE-1 ";

function label(name: string): Uint8Array {
  return asciiBytes(LABEL_PREFIX + name);
}

/** What the pairing key yields before any session; computed once when the service starts. */
export interface PskSecrets {
  /** Authenticates ClientHello (TLS's binder_key). */
  readonly binderKey: Uint8Array;
  /** Salt under which each session's ECDH secret is extracted (TLS's "derived" secret). */
  readonly handshakeSalt: Uint8Array;
}

export function pskSecrets(pairingKey: Uint8Array): PskSecrets {
  if (pairingKey.length !== PAIRING_KEY_BYTES) throw new RangeError(`pairing key must be ${PAIRING_KEY_BYTES} bytes`);
  const early = hkdfExtract(label("psk"), pairingKey);
  const secrets = {
    binderKey: hkdfExpand(early, label("binder"), SHA256_BYTES),
    handshakeSalt: hkdfExpand(early, label("derived"), SHA256_BYTES),
  };
  wipe(early);
  return secrets;
}

/** The keys of one direction of the record layer. */
export interface DirectionKeys {
  readonly encKey: Uint8Array;
  readonly macKey: Uint8Array;
}

export interface SessionKeys {
  readonly deviceFinishedKey: Uint8Array;
  readonly appFinishedKey: Uint8Array;
  readonly appToDevice: DirectionKeys;
  readonly deviceToApp: DirectionKeys;
}

/** `transcriptHash` = SHA-256(ClientHello ‖ ServerHello without its confirmation). */
export function sessionKeys(secrets: PskSecrets, sharedX: Uint8Array, transcriptHash: Uint8Array): SessionKeys {
  const handshakeSecret = hkdfExtract(secrets.handshakeSalt, sharedX);
  const expand = (name: string, length: number) => hkdfExpand(handshakeSecret, concatBytes(label(name), transcriptHash), length);
  const keys: SessionKeys = {
    deviceFinishedKey: expand("d finished", SHA256_BYTES),
    appFinishedKey: expand("a finished", SHA256_BYTES),
    appToDevice: { encKey: expand("a2d enc", AES128_KEY_BYTES), macKey: expand("a2d mac", SHA256_BYTES) },
    deviceToApp: { encKey: expand("d2a enc", AES128_KEY_BYTES), macKey: expand("d2a mac", SHA256_BYTES) },
  };
  wipe(handshakeSecret);
  return keys;
}

export function wipeSessionKeys(keys: SessionKeys | undefined): void {
  if (!keys) return;
  wipe(keys.deviceFinishedKey, keys.appFinishedKey, keys.appToDevice.encKey, keys.appToDevice.macKey,
    keys.deviceToApp.encKey, keys.deviceToApp.macKey);
}
