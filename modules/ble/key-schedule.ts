/**
 * The session key schedule (docs/ble-session.md "Key schedule"), shaped after TLS 1.3's
 * psk_dhe_ke: the pairing key is extracted once into a binder key and a salt; each session's
 * ECDH secret is extracted under that salt, and the keys of both directions and both key
 * confirmations are expanded from it with the transcript hash.
 */
import { asciiBytes, concatBytes, wipe } from "../crypto/bytes.js";
import { hkdfExpand, hkdfExtract } from "../crypto/hkdf.js";
import { AES128_KEY_BYTES } from "../crypto/aes-cbc.js";
import { SHA256_BYTES } from "../crypto/sha256.js";

export const PAIRING_KEY_BYTES = 32;
const KEY_BLOCK_BYTES = 2 * SHA256_BYTES + 2 * (AES128_KEY_BYTES + SHA256_BYTES);
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

/**
 * `transcriptHash` = SHA-256(ClientHello ‖ ServerHello without its confirmation). One expansion
 * yields every key (as TLS 1.2's key_block): each HKDF-Expand call costs two HMAC key setups, a
 * noticeable share of the handshake under XS, and slices of one output are as independent.
 */
export function sessionKeys(secrets: PskSecrets, sharedX: Uint8Array, transcriptHash: Uint8Array): SessionKeys {
  const handshakeSecret = hkdfExtract(secrets.handshakeSalt, sharedX);
  const block = hkdfExpand(handshakeSecret, concatBytes(label("keys"), transcriptHash), KEY_BLOCK_BYTES);
  wipe(handshakeSecret);
  let offset = 0;
  const take = (length: number) => block.slice(offset, (offset += length));
  const keys: SessionKeys = {
    deviceFinishedKey: take(SHA256_BYTES),
    appFinishedKey: take(SHA256_BYTES),
    appToDevice: { encKey: take(AES128_KEY_BYTES), macKey: take(SHA256_BYTES) },
    deviceToApp: { encKey: take(AES128_KEY_BYTES), macKey: take(SHA256_BYTES) },
  };
  wipe(block);
  return keys;
}

export function wipeSessionKeys(keys: SessionKeys | undefined): void {
  if (!keys) return;
  wipe(keys.deviceFinishedKey, keys.appFinishedKey, keys.appToDevice.encKey, keys.appToDevice.macKey,
    keys.deviceToApp.encKey, keys.deviceToApp.macKey);
}
