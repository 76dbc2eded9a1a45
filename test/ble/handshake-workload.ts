/**
 * The device's side of the handshake, and its baseline (one bare noble key generation + ECDH),
 * as functions that run unchanged on Node and inside XS (bench/ble.bench.ts meters them there).
 * The app's messages are prepared beforehand on Node: the device's ephemeral keys come from a
 * seeded generator, so the ClientFinished made for each ServerHello is known in advance and the
 * measured call does exactly what the logger does, nothing of the app's work.
 */
import { p256 } from "@noble/curves/nist.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { p256KeyPair } from "../../modules/crypto/p256.js";
import { answerClientHello, answerServerHello, clientHello, verifyClientFinished } from "../../modules/ble/handshake.js";
import { pskSecrets } from "../../modules/ble/key-schedule.js";

export interface HandshakeInputs {
  pairingKeyHex: string;
  /** Seeds the device's ephemeral keys. */
  deviceSeed: string;
  hellosHex: string[];
  finishedsHex: string[];
}

export interface BaselineInputs {
  seed: string;
  peersHex: string[];
}

/** What the app sends in `count` sessions with a device whose randomness is seeded `deviceSeed`. */
export function prepareHandshakes(pairingKeyHex: string, deviceSeed: string, count: number): HandshakeInputs {
  const secrets = pskSecrets(hexToBytes(pairingKeyHex));
  const appRandom = new SeededRandom(`${deviceSeed}:app`);
  const deviceRandom = new SeededRandom(deviceSeed);
  const inputs: HandshakeInputs = { pairingKeyHex, deviceSeed, hellosHex: [], finishedsHex: [] };
  for (let i = 0; i < count; i++) {
    const ephemeral = p256KeyPair(appRandom);
    const hello = clientHello(secrets, ephemeral);
    const device = answerClientHello(secrets, hello, () => p256KeyPair(deviceRandom));
    inputs.hellosHex.push(bytesToHex(hello));
    inputs.finishedsHex.push(bytesToHex(answerServerHello(secrets, hello, ephemeral, device.serverHello).clientFinished));
  }
  return inputs;
}

/** The logger's work for each session: ClientHello → ServerHello (keygen, ECDH, keys), then ClientFinished. */
export function deviceHandshakes(inputs: HandshakeInputs): number {
  const secrets = pskSecrets(hexToBytes(inputs.pairingKeyHex));
  const random = new SeededRandom(inputs.deviceSeed);
  let confirmed = 0;
  for (let i = 0; i < inputs.hellosHex.length; i++) {
    const handshake = answerClientHello(secrets, hexToBytes(inputs.hellosHex[i]), () => p256KeyPair(random));
    verifyClientFinished(handshake, hexToBytes(inputs.finishedsHex[i]));
    confirmed++;
  }
  return confirmed;
}

/** One bare noble key generation (from 48 random bytes, as the device draws them) + ECDH per peer. */
export function bareKeygenEcdh(inputs: BaselineInputs): number {
  const random = new SeededRandom(inputs.seed);
  let agreed = 0;
  for (const peerHex of inputs.peersHex) {
    const secretKey = p256.utils.randomSecretKey(random.getRandomValues(new Uint8Array(48)));
    p256.getPublicKey(secretKey, false);
    if (p256.getSharedSecret(secretKey, hexToBytes(peerHex)).length === 33) agreed++;
  }
  return agreed;
}
