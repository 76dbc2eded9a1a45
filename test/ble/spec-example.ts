/**
 * The worked example of docs/ble-session.md, recomputed by the protocol code itself from fixed
 * inputs (pairing key, ephemeral secrets, IVs). spec-example.test.ts compares it with the hex in
 * the document, so the specification cannot drift from the code.
 */
import { p256 } from "@noble/curves/nist.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { formatPairingLabel } from "../../hosts/sim/app/pairing-label.js";
import { asciiBytes, concatBytes } from "../../modules/crypto/bytes.js";
import { hkdfExtract } from "../../modules/crypto/hkdf.js";
import { p256SharedX, type P256KeyPair } from "../../modules/crypto/p256.js";
import { sha256 } from "../../modules/crypto/sha256.js";
import { fragmentMessage } from "../../modules/ble/fragments.js";
import { answerClientHello, answerServerHello, clientHello, MessageType, verifyClientFinished } from "../../modules/ble/handshake.js";
import { encodeRequest, encodeResponse } from "../../modules/ble/installer-messages.js";
import type { InstallerStatus } from "../../modules/ble/installer-status.js";
import { pskSecrets } from "../../modules/ble/key-schedule.js";
import { sealRecord } from "../../modules/ble/record-layer.js";

export const EXAMPLE_STATUS: InstallerStatus = {
  batteryV: 3.612,
  internalTemperatureC: 21.4,
  internalHumidityPct: 38.5,
  signal: { technology: "lte-m", registration: "home", rssiDbm: -87 },
  lastTransmission: { result: "ok", timeMs: 1767225900000 },
  log: { fillPct: 12.5, unsent: 42 },
  sensors: [{ channel: 1, time: 1767226140000, value: 4.25, flags: 0 }],
  firmwareVersion: "0.1.0",
};

function keyPair(secretHex: string): P256KeyPair {
  const secretKey = hexToBytes(secretHex);
  return { secretKey, publicKey: p256.getPublicKey(secretKey, false) };
}

/** Name and hex of every value in the example, in document order. */
export function specExample(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const put = (name: string, bytes: Uint8Array) => out.push([name, bytesToHex(bytes)]);
  const pairingKey = hexToBytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  put("pairing_key", pairingKey);
  out.push(["label", formatPairingLabel(pairingKey)]);
  const early = hkdfExtract(asciiBytes("DL-BLE-1 psk"), pairingKey);
  put("early_secret", early);
  const secrets = pskSecrets(pairingKey);
  put("binder_key", secrets.binderKey);
  put("handshake_salt", secrets.handshakeSalt);

  const app = keyPair("a1".repeat(32));
  const device = keyPair("d2".repeat(32));
  put("app_ephemeral_secret", app.secretKey);
  put("app_ephemeral_public", app.publicKey);
  const hello = clientHello(secrets, app);
  put("client_hello", hello);

  const deviceSide = answerClientHello(secrets, hello, () => ({ secretKey: device.secretKey.slice(), publicKey: device.publicKey }));
  put("device_ephemeral_secret", device.secretKey);
  put("device_ephemeral_public", device.publicKey);
  const shared = p256SharedX(device.secretKey, app.publicKey);
  put("shared_x", shared);
  put("handshake_secret", hkdfExtract(secrets.handshakeSalt, shared));
  put("key_transcript_hash", sha256(concatBytes(hello, deviceSide.serverHello.subarray(0, 66))));
  const keys = deviceSide.keys;
  put("device_finished_key", keys.deviceFinishedKey);
  put("app_finished_key", keys.appFinishedKey);
  put("a2d_enc_key", keys.appToDevice.encKey);
  put("a2d_mac_key", keys.appToDevice.macKey);
  put("d2a_enc_key", keys.deviceToApp.encKey);
  put("d2a_mac_key", keys.deviceToApp.macKey);
  put("server_hello", deviceSide.serverHello);
  put("finished_transcript_hash", deviceSide.finishedTranscript);
  const appSide = answerServerHello(secrets, hello, app, deviceSide.serverHello);
  verifyClientFinished(deviceSide, appSide.clientFinished);
  put("client_finished", appSide.clientFinished);
  fragmentMessage(appSide.clientFinished, 23).forEach((fragment, i) => put(`client_finished_fragment_${i}_mtu23`, fragment));

  const request = encodeRequest({ kind: "status" });
  put("request_plaintext", request);
  const requestIv = hexToBytes("000102030405060708090a0b0c0d0e0f");
  put("request_iv", requestIv);
  put("request_record", sealRecord(keys.appToDevice, MessageType.AppRecord, 0, requestIv, request));
  const response = encodeResponse({ kind: "status", status: EXAMPLE_STATUS });
  put("status_plaintext", response);
  const responseIv = hexToBytes("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  put("status_iv", responseIv);
  put("status_record", sealRecord(keys.deviceToApp, MessageType.DeviceRecord, 0, responseIv, response));
  return out;
}
