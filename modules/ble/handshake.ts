/**
 * The three handshake messages (docs/ble-session.md "Handshake"), in the shape of Noise NNpsk0 /
 * TLS 1.3 psk_dhe_ke:
 *
 *   app → device   ClientHello    = 01 ‖ version ‖ eA (65) ‖ binder (32)
 *   device → app   ServerHello    = 02 ‖ eD (65) ‖ confirmD (32)
 *   app → device   ClientFinished = 03 ‖ confirmA (32)
 *
 * The binder proves the app holds the pairing key before the device spends an ECDH or says a
 * word; confirmD and confirmA confirm the session keys in both directions, so a party without
 * the key cannot complete either side. Each function here is pure: randomness comes in as keys.
 */
import { concatBytes, wipe } from "../crypto/bytes.js";
import { CryptoError } from "../crypto/crypto-error.js";
import { P256_PUBLIC_KEY_BYTES, p256SharedX, type P256KeyPair } from "../crypto/p256.js";
import { hmacSha256, sha256, SHA256_BYTES, verifyHmacSha256 } from "../crypto/sha256.js";
import { sessionKeys, type PskSecrets, type SessionKeys } from "./key-schedule.js";
import { SessionError } from "./session-error.js";

export const PROTOCOL_VERSION = 1;

export const MessageType = Object.freeze({
  ClientHello: 0x01,
  ServerHello: 0x02,
  ClientFinished: 0x03,
  AppRecord: 0x10,
  DeviceRecord: 0x11,
});

const CLIENT_HELLO_SIGNED_BYTES = 2 + P256_PUBLIC_KEY_BYTES;
const SERVER_HELLO_SIGNED_BYTES = 1 + P256_PUBLIC_KEY_BYTES;
export const CLIENT_HELLO_BYTES = CLIENT_HELLO_SIGNED_BYTES + SHA256_BYTES;
export const SERVER_HELLO_BYTES = SERVER_HELLO_SIGNED_BYTES + SHA256_BYTES;
export const CLIENT_FINISHED_BYTES = 1 + SHA256_BYTES;

/** The binder of a ClientHello, for the device's replay memory. */
export function helloBinder(hello: Uint8Array): Uint8Array {
  return hello.subarray(CLIENT_HELLO_SIGNED_BYTES, CLIENT_HELLO_BYTES);
}

function checkShape(message: Uint8Array, type: number, length: number, name: string): void {
  if (message[0] !== type) throw new SessionError("type", `expected ${name}, got type 0x${message[0].toString(16)}`);
  if (message.length !== length) throw new SessionError("length", `${name} of ${message.length} bytes, expected ${length}`);
}

function sharedX(ephemeral: P256KeyPair, peerPublicKey: Uint8Array): Uint8Array {
  try {
    return p256SharedX(ephemeral.secretKey, peerPublicKey);
  } catch (error) {
    if (error instanceof CryptoError) throw new SessionError("point", error.message);
    throw error;
  }
}

/** App: the opening message, carrying its fresh ephemeral key and the binder over it. */
export function clientHello(secrets: PskSecrets, ephemeral: P256KeyPair): Uint8Array {
  const signed = concatBytes(Uint8Array.of(MessageType.ClientHello, PROTOCOL_VERSION), ephemeral.publicKey);
  return concatBytes(signed, hmacSha256(secrets.binderKey, signed));
}

/** Device state between ServerHello and ClientFinished. */
export interface DeviceHandshake {
  readonly serverHello: Uint8Array;
  readonly keys: SessionKeys;
  /** SHA-256(ClientHello ‖ ServerHello): what ClientFinished confirms. */
  readonly finishedTranscript: Uint8Array;
}

/**
 * Device: checks a ClientHello and answers it. `newEphemeral` is called only once the binder has
 * been verified, so a party without the pairing key costs the device one HMAC and no ECDH.
 */
export function answerClientHello(secrets: PskSecrets, hello: Uint8Array, newEphemeral: () => P256KeyPair): DeviceHandshake {
  checkShape(hello, MessageType.ClientHello, CLIENT_HELLO_BYTES, "ClientHello");
  if (hello[1] !== PROTOCOL_VERSION) throw new SessionError("version", `protocol version ${hello[1]} is not ${PROTOCOL_VERSION}`);
  const signed = hello.subarray(0, CLIENT_HELLO_SIGNED_BYTES);
  if (!verifyHmacSha256(secrets.binderKey, signed, helloBinder(hello))) {
    throw new SessionError("binder", "ClientHello binder does not verify");
  }
  const ephemeral = newEphemeral();
  const secret = sharedX(ephemeral, hello.subarray(2, CLIENT_HELLO_SIGNED_BYTES));
  wipe(ephemeral.secretKey);
  const serverSigned = concatBytes(Uint8Array.of(MessageType.ServerHello), ephemeral.publicKey);
  const keyTranscript = sha256(concatBytes(hello, serverSigned));
  const keys = sessionKeys(secrets, secret, keyTranscript);
  wipe(secret);
  const serverHello = concatBytes(serverSigned, hmacSha256(keys.deviceFinishedKey, keyTranscript));
  return { serverHello, keys, finishedTranscript: sha256(concatBytes(hello, serverHello)) };
}

/** Device: the app's key confirmation; after it, the session is authenticated. */
export function verifyClientFinished(handshake: DeviceHandshake, finished: Uint8Array): void {
  checkShape(finished, MessageType.ClientFinished, CLIENT_FINISHED_BYTES, "ClientFinished");
  if (!verifyHmacSha256(handshake.keys.appFinishedKey, handshake.finishedTranscript, finished.subarray(1))) {
    throw new SessionError("confirm", "ClientFinished does not verify");
  }
}

export interface AppHandshake {
  readonly clientFinished: Uint8Array;
  readonly keys: SessionKeys;
}

/** App: checks the device's key confirmation and confirms its own. */
export function answerServerHello(
  secrets: PskSecrets, hello: Uint8Array, ephemeral: P256KeyPair, serverHello: Uint8Array,
): AppHandshake {
  checkShape(serverHello, MessageType.ServerHello, SERVER_HELLO_BYTES, "ServerHello");
  const serverSigned = serverHello.subarray(0, SERVER_HELLO_SIGNED_BYTES);
  const secret = sharedX(ephemeral, serverSigned.subarray(1));
  const keyTranscript = sha256(concatBytes(hello, serverSigned));
  const keys = sessionKeys(secrets, secret, keyTranscript);
  wipe(secret);
  if (!verifyHmacSha256(keys.deviceFinishedKey, keyTranscript, serverHello.subarray(SERVER_HELLO_SIGNED_BYTES))) {
    throw new SessionError("confirm", "ServerHello confirmation does not verify");
  }
  const finishedTranscript = sha256(concatBytes(hello, serverHello));
  const clientFinished = concatBytes(Uint8Array.of(MessageType.ClientFinished), hmacSha256(keys.appFinishedKey, finishedTranscript));
  return { clientFinished, keys };
}
