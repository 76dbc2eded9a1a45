/**
 * The session's building blocks, on XS as on Node: fragmentation at any MTU, the handshake's pure
 * functions, the record layer's checks, and the message and status codecs.
 */
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { FormatError } from "../../modules/codec/byte-reader.js";
import { concatBytes } from "../../modules/crypto/bytes.js";
import { p256KeyPair } from "../../modules/crypto/p256.js";
import { hmacSha256 } from "../../modules/crypto/sha256.js";
import { fragmentMessage, MAX_MESSAGE_BYTES, Reassembler } from "../../modules/ble/fragments.js";
import { ATT_DEFAULT_MTU, effectiveMtu } from "../../modules/ble/gatt.js";
import {
  answerClientHello, answerServerHello, clientHello, CLIENT_HELLO_BYTES, MessageType, SERVER_HELLO_BYTES, verifyClientFinished,
} from "../../modules/ble/handshake.js";
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from "../../modules/ble/installer-messages.js";
import { pskSecrets } from "../../modules/ble/key-schedule.js";
import { MAX_RECORD_PLAINTEXT, openRecord, RecordReader, RecordWriter, sealRecord } from "../../modules/ble/record-layer.js";
import { SessionError } from "../../modules/ble/session-error.js";
import { decodeStatus, encodeStatus, MAX_STATUS_SENSORS } from "../../modules/ble/status-codec.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { LOGGER_KEY, OTHER_KEY, SAMPLE_SITE_CHECK, SAMPLE_STATUS } from "./harness.js";

function reasonOf(run: () => unknown): string {
  const error = throws(run, SessionError);
  return (error as SessionError).reason;
}

const KEYS = { encKey: new Uint8Array(16).fill(1), macKey: new Uint8Array(32).fill(2) };

export const cases: TestCase[] = [
  {
    name: "fragments: every length at MTU 23 and 247 reassembles, each value within MTU - 3",
    run() {
      const random = new SeededRandom("fragments");
      for (const mtu of [ATT_DEFAULT_MTU, 247]) {
        for (const length of [1, 19, 20, 243, 244, 500, MAX_MESSAGE_BYTES]) {
          const message = random.getRandomValues(new Uint8Array(length));
          const fragments = fragmentMessage(message, mtu);
          const reassembler = new Reassembler();
          let out: Uint8Array | undefined;
          fragments.forEach((fragment, i) => {
            ok(fragment.length <= mtu - 3, `fragment of ${fragment.length} at MTU ${mtu}`);
            out = reassembler.push(fragment);
            equal(out === undefined, i < fragments.length - 1);
          });
          deepEqual(out, message);
          equal(reassembler.pending, false);
        }
      }
      throws(() => fragmentMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1), 247), RangeError);
      throws(() => fragmentMessage(new Uint8Array(0), 247), RangeError);
      equal(effectiveMtu(517), 247);
      equal(effectiveMtu(10), 23);
    },
  },
  {
    name: "fragments: skipped, repeated, empty and over-long fragments are refused",
    run() {
      const parts = fragmentMessage(new Uint8Array(600), 247);
      const skip = new Reassembler();
      skip.push(parts[0]);
      equal(reasonOf(() => skip.push(parts[2])), "fragment");
      const repeat = new Reassembler();
      repeat.push(parts[0]);
      equal(reasonOf(() => repeat.push(parts[0])), "fragment");
      equal(reasonOf(() => new Reassembler().push(Uint8Array.of(0x80))), "fragment");
      equal(reasonOf(() => new Reassembler(99).push(fragmentMessage(new Uint8Array(100), 247)[0])), "length");
    },
  },
  {
    name: "handshake: both sides derive the same keys, separate per direction; the wrong key fails the binder",
    run() {
      const random = new SeededRandom("handshake");
      const secrets = pskSecrets(LOGGER_KEY);
      const appEphemeral = p256KeyPair(random);
      const hello = clientHello(secrets, appEphemeral);
      equal(hello.length, CLIENT_HELLO_BYTES);
      const device = answerClientHello(secrets, hello, () => p256KeyPair(random));
      equal(device.serverHello.length, SERVER_HELLO_BYTES);
      const app = answerServerHello(secrets, hello, appEphemeral, device.serverHello);
      verifyClientFinished(device, app.clientFinished);
      deepEqual(app.keys, device.keys);
      ok(app.keys.appToDevice.encKey.join() !== app.keys.deviceToApp.encKey.join());
      ok(app.keys.appToDevice.macKey.join() !== app.keys.deviceToApp.macKey.join());
      let ephemerals = 0;
      const wrong = clientHello(pskSecrets(OTHER_KEY), p256KeyPair(random));
      equal(reasonOf(() => answerClientHello(secrets, wrong, () => { ephemerals++; return p256KeyPair(random); })), "binder");
      equal(ephemerals, 0, "no ECDH for a wrong binder");
    },
  },
  {
    name: "records: round trip, then wrong sequence, type, MAC, length and padding are each refused",
    run() {
      const random = new SeededRandom("records");
      const writer = new RecordWriter(KEYS, MessageType.AppRecord, random);
      const reader = new RecordReader(KEYS, MessageType.AppRecord);
      for (const length of [0, 1, 15, 16, 100, MAX_RECORD_PLAINTEXT]) {
        const plaintext = random.getRandomValues(new Uint8Array(length));
        deepEqual(reader.open(writer.seal(plaintext)), plaintext);
      }
      throws(() => writer.seal(new Uint8Array(MAX_RECORD_PLAINTEXT + 1)), RangeError);
      const iv = new Uint8Array(16);
      const record = sealRecord(KEYS, MessageType.AppRecord, 5, iv, Uint8Array.of(1));
      equal(reasonOf(() => openRecord(KEYS, MessageType.AppRecord, 4, record)), "sequence");
      equal(reasonOf(() => openRecord(KEYS, MessageType.DeviceRecord, 5, record)), "type");
      equal(reasonOf(() => openRecord({ ...KEYS, macKey: new Uint8Array(32) }, MessageType.AppRecord, 5, record)), "mac");
      equal(reasonOf(() => openRecord(KEYS, MessageType.AppRecord, 5, record.subarray(1))), "length");
      // Correctly MACed but not PKCS#7-padded: only a peer holding the keys and broken could send it.
      // The IV is the block before the only ciphertext block, so its last bit flips the last pad byte.
      const body = record.slice(0, record.length - 32);
      body[5 + 15] ^= 0x20;
      equal(reasonOf(() => openRecord(KEYS, MessageType.AppRecord, 5, concatBytes(body, hmacSha256(KEYS.macKey, body)))), "padding");
    },
  },
  {
    name: "messages: requests and responses round-trip; unknown ops and trailing bytes are refused",
    run() {
      for (const kind of ["status", "site-check", "close"] as const) deepEqual(decodeRequest(encodeRequest({ kind })), { kind });
      const responses = [
        { kind: "status", status: SAMPLE_STATUS },
        { kind: "site-check-started", accepted: false },
        { kind: "site-check-result", result: SAMPLE_SITE_CHECK },
      ] as const;
      for (const response of responses) deepEqual(decodeResponse(encodeResponse(response)), response);
      throws(() => decodeRequest(Uint8Array.of(0x04)), FormatError);
      throws(() => decodeRequest(Uint8Array.of(0x01, 0x00)), FormatError);
      throws(() => decodeResponse(Uint8Array.of(0x82, 0x02)), FormatError);
      const status = encodeResponse(responses[0]);
      throws(() => decodeResponse(Uint8Array.of(...status, 0)), FormatError);
      throws(() => decodeResponse(status.subarray(0, status.length - 1)), FormatError);
    },
  },
  {
    name: "status: unknowns stay unknown, values keep their display precision, at most 32 sensors",
    run() {
      const unknown = {
        ...SAMPLE_STATUS,
        batteryV: null, internalTemperatureC: null, internalHumidityPct: null,
        signal: { technology: "none", registration: "unknown", rssiDbm: null },
        lastTransmission: { result: "none", timeMs: null },
        log: { fillPct: null, unsent: null },
        sensors: [],
      } as const;
      deepEqual(decodeStatus(encodeStatus(unknown)), unknown);
      const rounded = decodeStatus(encodeStatus({ ...SAMPLE_STATUS, batteryV: 3.61249, internalTemperatureC: -5.04 }));
      equal(rounded.batteryV, 3.612);
      equal(rounded.internalTemperatureC, -5);
      const many = Array.from({ length: 40 }, (_, channel) => ({ channel, time: 0, value: channel, flags: 0 }));
      equal(decodeStatus(encodeStatus({ ...SAMPLE_STATUS, sensors: many })).sensors.length, MAX_STATUS_SENSORS);
    },
  },
];
