/**
 * The downlink and report formats (docs/downlink-format.md): the worked examples byte for byte,
 * round trips, and refusal of anything malformed; the topics and the HTTPS path's MAC.
 */
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { FormatError } from "../../modules/codec/byte-reader.js";
import { crc32 } from "../../modules/codec/crc32.js";
import { decodeDownlink, encodeDownlink, type KnownDownlink } from "../../modules/uplink/downlink.js";
import { deviceTopics, httpsPath, parseHttpsPath, parseUplinkTopic, verifyHttpsMac } from "../../modules/uplink/endpoints.js";
import { ConfigOutcome, decodeReports, encodeReports, MAX_DETAIL_BYTES, type UplinkReport } from "../../modules/uplink/report.js";
import * as assert from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

const hex = (text: string) => Uint8Array.from(text.split(" "), (byte) => parseInt(byte, 16));
const SERVER_TIME = Date.UTC(2026, 2, 1, 12, 2, 3, 456);

/** Recomputes the check value after an edit, so that the edit reaches the parser. */
function resealed(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return out;
}

export const cases: TestCase[] = [
  {
    name: "the worked examples: an acknowledgement, one before anything is stored, a configuration change",
    run() {
      const ack: KnownDownlink = { kind: "ack", answers: 1000, acked: 1009, serverTime: SERVER_TIME };
      assert.deepEqual(encodeDownlink([ack]), hex("01 01 0f 01 e8 03 00 00 f1 03 00 00 c0 d8 9b ca ca 33 a1 c6 11 af"));
      assert.deepEqual(decodeDownlink(hex("01 01 0b 00 00 00 00 00 c0 d8 9b ca ca 33 f7 e4 61 30")),
        [{ kind: "ack", answers: 0, acked: undefined, serverTime: SERVER_TIME }]);
      const config = hex("01 02 1a 07 7b 22 61 70 6e 22 3a 22 69 6f 74 2e 65 78 61 6d 70 6c 65 2e 6e 65 74 22 7d f4 37 d0 50");
      assert.deepEqual(decodeDownlink(config), [{ kind: "config", version: 7, document: '{"apn":"iot.example.net"}' }]);
    },
  },
  {
    name: "the worked report examples: a configuration applied, an update refused",
    run() {
      assert.deepEqual(encodeReports(42, [{ kind: "config-result", version: 7, outcome: ConfigOutcome.Applied, detail: "ok" }]),
        hex("01 2a 01 04 07 01 6f 6b 76 51 89 58"));
      const refused = hex("01 2a 02 18 00 09 64 6f 77 6e 67 72 61 64 65 31 2e 32 2e 30 20 3c 20 31 2e 33 2e 30 56 21 63 bb");
      assert.deepEqual(decodeReports(refused), {
        deviceId: 42, reports: [{ kind: "update-result", accepted: false, reason: "downgrade", detail: "1.2.0 < 1.3.0" }],
      });
    },
  },
  {
    name: "several messages in one payload come back in order; an unknown kind is skipped, the rest still read",
    run() {
      const messages: KnownDownlink[] = [
        { kind: "ack", answers: 7, acked: 9, serverTime: SERVER_TIME },
        { kind: "update", notice: Uint8Array.of(1, 2, 3, 4) },
        { kind: "config", version: 12, document: "{\"apn\":\"é.example\"}" },
      ];
      assert.deepEqual(decodeDownlink(encodeDownlink(messages)), messages);
      const body = encodeDownlink([messages[0]]).slice(0, -4);
      const withUnknown = resealed(Uint8Array.from([...body, 0x2a, 0x02, 0xee, 0xff]));
      assert.deepEqual(decodeDownlink(withUnknown), [messages[0], { kind: "unknown", code: 0x2a }]);
    },
  },
  {
    name: "every corruption and truncation of a downlink or a report is refused with a FormatError",
    run() {
      const payloads = [
        encodeDownlink([{ kind: "ack", answers: 5, acked: 4, serverTime: SERVER_TIME }, { kind: "config", version: 3, document: "{}" }]),
        encodeReports(9, [{ kind: "config-result", version: 3, outcome: ConfigOutcome.Rejected, detail: "sampling.channels[0].pin: not an analog pin" }]),
      ];
      const decoders = [decodeDownlink, decodeReports];
      payloads.forEach((payload, which) => {
        for (let i = 0; i < payload.length; i++) {
          const corrupt = payload.slice();
          corrupt[i] ^= 0x10;
          assert.throws(() => decoders[which](corrupt), FormatError, `byte ${i}`);
        }
        for (let length = 0; length < payload.length; length++) assert.throws(() => decoders[which](payload.subarray(0, length)), FormatError);
      });
    },
  },
  {
    name: "malformed bodies with valid check values are refused: a bad ack flag, version 0, a body longer than its fields, an unknown outcome",
    run() {
      const refused = [
        resealed(hex("01 01 0b 02 00 00 00 00 c0 d8 9b ca ca 33")),
        resealed(hex("01 02 01 00")),
        resealed(hex("01 01 0c 00 00 00 00 00 c0 d8 9b ca ca 33 00")),
        resealed(hex("02 01 0b 00 00 00 00 00 c0 d8 9b ca ca 33")),
      ];
      for (const payload of refused) assert.throws(() => decodeDownlink(payload), FormatError);
      assert.throws(() => decodeReports(resealed(hex("01 2a 01 02 07 04"))), FormatError);
      assert.throws(() => decodeReports(resealed(hex("01 2a"))), FormatError, "a payload without reports");
      assert.throws(() => decodeReports(resealed(hex("01 2a 09 00"))), FormatError, "an unknown report kind");
    },
  },
  {
    name: "the decoders survive 2,000 mutated payloads with valid check values (FormatError or a decode, nothing else)",
    run() {
      const random = new SeededRandom("downlink-fuzz");
      const originals = [
        encodeDownlink([{ kind: "ack", answers: 100, acked: 99, serverTime: SERVER_TIME }, { kind: "update", notice: Uint8Array.of(1, 9, 9) }]),
        encodeReports(3, [{ kind: "update-result", accepted: true, reason: "", detail: "accepted" }]),
      ];
      for (let round = 0; round < 2000; round++) {
        const which = round % 2;
        const body = originals[which].slice(0, -4);
        for (let m = 0; m < 1 + random.below(3); m++) body[random.below(body.length)] = random.nextUint32() & 0xff;
        try {
          if (which === 0) decodeDownlink(resealed(body));
          else decodeReports(resealed(body));
        } catch (error) {
          assert.ok(error instanceof FormatError, `round ${round}: ${String(error)}`);
        }
      }
    },
  },
  {
    name: "a long detail is cut on a character boundary",
    run() {
      const report: UplinkReport = { kind: "config-result", version: 1, outcome: ConfigOutcome.Rejected, detail: "é".repeat(400) };
      const back = decodeReports(encodeReports(1, [report])).reports[0];
      assert.equal(back.detail, "é".repeat(MAX_DETAIL_BYTES / 2));
    },
  },
  {
    name: "topics: a device publishes under up/<name>/ and hears dl/<name>/; other topics are not uplinks",
    run() {
      assert.deepEqual(deviceTopics("logger-7"), {
        data: "up/logger-7/data", report: "up/logger-7/report", downlinkFilter: "dl/logger-7/#", downlinkPrefix: "dl/logger-7/",
      });
      assert.deepEqual(parseUplinkTopic("up/logger-7/report"), { username: "logger-7", channel: "report" });
      for (const topic of ["up/logger-7/other", "dl/logger-7/data", "up/+/data", "up/a/b/data", "up//data"]) {
        assert.equal(parseUplinkTopic(topic), undefined, topic);
      }
    },
  },
  {
    name: "an HTTPS POST is authenticated by the MAC of its path and body; any change is refused",
    run() {
      const body = Uint8Array.of(1, 2, 3);
      const url = httpsPath("logger-0042", "data", "pw-7f3a9c21e4b8d6f0", body);
      assert.equal(url, "/v1/logger-0042/data?mac=f44b59aac03fd44d6b6aef45653ff01108b15adc7642222af80ed006e7e9f130");
      const parsed = parseHttpsPath(url)!;
      assert.ok(verifyHttpsMac("pw-7f3a9c21e4b8d6f0", parsed.path, body, parsed.mac));
      assert.ok(!verifyHttpsMac("pw-7f3a9c21e4b8d6f1", parsed.path, body, parsed.mac), "another password");
      assert.ok(!verifyHttpsMac("pw-7f3a9c21e4b8d6f0", "/v1/logger-0042/report", body, parsed.mac), "another channel");
      assert.ok(!verifyHttpsMac("pw-7f3a9c21e4b8d6f0", parsed.path, Uint8Array.of(1, 2, 4), parsed.mac), "another body");
      assert.ok(!verifyHttpsMac("pw-7f3a9c21e4b8d6f0", parsed.path, body, parsed.mac.slice(0, 32)), "a truncated MAC");
      assert.equal(parseHttpsPath("/v1/logger-0042/data"), undefined, "no MAC");
    },
  },
];
