/**
 * The server's receiver without a network: answers to MQTT publishes and HTTPS POSTs, refusals
 * (unknown device, bad MAC, corrupt packet, report of another device), and changes that wait for
 * an HTTPS device until it reports on them.
 */
import { decodeDownlink } from "../../modules/uplink/downlink.js";
import { httpsPath } from "../../modules/uplink/endpoints.js";
import { encodePacket } from "../../modules/uplink/packet.js";
import type { UplinkRecord } from "../../modules/uplink/records.js";
import { ConfigOutcome, encodeReports } from "../../modules/uplink/report.js";
import { Receiver, type Outgoing } from "../../hosts/sim/server/receiver.js";
import * as assert from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

const NOW = Date.UTC(2026, 2, 1, 12);
const DEVICE = { deviceId: 7, username: "logger-7", password: "secret-7" };
const records = (from: number, to: number): UplinkRecord[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ kind: "sample", seq: from + i, sample: { channel: 1, time: NOW + i * 60_000, value: i, flags: 4 } }));

function receiver(published: Outgoing[] = []): Receiver {
  return new Receiver({ devices: [DEVICE], now: () => NOW + 0.4, publish: (message) => published.push(message) });
}

export const cases: TestCase[] = [
  {
    name: "a published packet is answered on the device's ack topic with what is stored and the server's time",
    run() {
      const server = receiver();
      const [answer] = server.onPublish("up/logger-7/data", encodePacket(7, records(1, 5)).bytes);
      assert.equal(answer.topic, "dl/logger-7/ack");
      assert.deepEqual(decodeDownlink(answer.payload), [{ kind: "ack", answers: 1, acked: 5, serverTime: NOW }]);
      assert.deepEqual(server.onPublish("up/logger-9/data", encodePacket(9, records(1, 5)).bytes), [], "an unknown device");
      assert.deepEqual(server.onPublish("up/logger-7/data", encodePacket(8, records(6, 7)).bytes), [], "a packet naming another device");
      assert.deepEqual(server.onPublish("dl/logger-7/ack", new Uint8Array(8)), [], "not an uplink topic");
      assert.equal(server.activity.get("logger-7")!.refused, 1);
    },
  },
  {
    name: "a POST is answered 200 with the acknowledgement; unknown devices 404, bad MACs 401, corrupt packets 400",
    run() {
      const server = receiver();
      const body = encodePacket(7, records(1, 3)).bytes;
      const answer = server.onPost(httpsPath("logger-7", "data", "secret-7", body), body);
      assert.equal(answer.status, 200);
      assert.deepEqual(decodeDownlink(answer.body), [{ kind: "ack", answers: 1, acked: 3, serverTime: NOW }]);
      assert.equal(server.onPost(httpsPath("logger-8", "data", "secret-7", body), body).status, 404);
      assert.equal(server.onPost(httpsPath("logger-7", "data", "wrong", body), body).status, 401);
      const corrupt = body.slice();
      corrupt[3] ^= 1;
      assert.equal(server.onPost(httpsPath("logger-7", "data", "secret-7", corrupt), corrupt).status, 400);
      assert.equal(server.onPost("/v1/logger-7/data", body).status, 404, "no MAC at all");
      assert.equal(server.ingest.devices.get(7)!.stored.size, 3, "only the good packet stored");
    },
  },
  {
    name: "a change goes out on the device's topic at once and rides on every acknowledgement until the device reports on it",
    run() {
      const published: Outgoing[] = [];
      const server = receiver(published);
      server.pushConfig("logger-7", 4, "{\"apn\":\"b.example\"}");
      assert.equal(published[0].topic, "dl/logger-7/config");
      assert.deepEqual(decodeDownlink(published[0].payload), [{ kind: "config", version: 4, document: "{\"apn\":\"b.example\"}" }]);
      const body = encodePacket(7, records(1, 2)).bytes;
      const post = () => decodeDownlink(server.onPost(httpsPath("logger-7", "data", "secret-7", body), body).body).map((m) => m.kind);
      assert.deepEqual(post(), ["ack", "config"]);
      assert.deepEqual(post(), ["ack", "config"], "until the device reports");
      const [published2] = server.onPublish("up/logger-7/data", encodePacket(7, records(3, 4)).bytes);
      assert.deepEqual(decodeDownlink(published2.payload).map((m) => m.kind), ["ack", "config"], "over MQTT as well");
      const report = encodeReports(7, [{ kind: "config-result", version: 4, outcome: ConfigOutcome.Applied, detail: "ok" }]);
      assert.equal(server.onPost(httpsPath("logger-7", "report", "secret-7", report), report).status, 200);
      assert.deepEqual(post(), ["ack"]);
      assert.deepEqual(server.reports.map((r) => [r.username, r.report.kind]), [["logger-7", "config-result"]]);
      const foreign = encodeReports(8, [{ kind: "update-result", accepted: true, reason: "", detail: "" }]);
      assert.equal(server.onPost(httpsPath("logger-7", "report", "secret-7", foreign), foreign).status, 400, "a report naming another device");
      assert.throws(() => server.pushConfig("logger-9", 1, "{}"), /no device/);
    },
  },
];
