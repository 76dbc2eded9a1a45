/**
 * The modem session against the simulated BG95 and the in-memory network: a full MQTT session
 * and an HTTPS one, what goes over the UART, redaction, the hard session limit, the console's
 * hooks and configuration checks.
 */
import type { ModemError } from "../../drivers/modem/bg9x/modem-error.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import { APN, DEVICE, ModemWorld, httpsConfig, mqttConfig, text } from "./support/modem-world.js";
import { SAMPLE_TOPIC } from "./support/record-uplink.js";

type Pending = "pending" | "ok" | ModemError;

/** "pending", "ok" or the error's kind (assignments in callbacks defeat type narrowing). */
function kind(result: Pending): string {
  return typeof result === "string" ? result : result.kind;
}

function connect(world: ModemWorld, config = mqttConfig()): Pending {
  let result: Pending = "pending";
  world.session.connect(config, (error) => { result = error ?? "ok"; });
  world.runUntil(() => result !== "pending", 150_000);
  return result;
}

function close(world: ModemWorld): void {
  let closed = false;
  world.session.close(() => { closed = true; });
  ok(world.runUntil(() => closed, 60_000), "close finished");
}

function indexOfLine(lines: readonly string[], start: string): number {
  return lines.findIndex((line) => line.startsWith(start));
}

export const cases: TestCase[] = [
  {
    name: "a full MQTT session: power up, register, TLS 1.2 + MQTT, publish with PUBACK, downlink, close and power down",
    run() {
      const world = new ModemWorld();
      equal(connect(world), "ok");
      const connectedAt = world.now;
      ok(connectedAt > 8000 && connectedAt < 30_000, `ready after ${connectedAt} ms`);
      equal(world.session.state, "ready");
      let published: Pending = "pending";
      world.session.publish(SAMPLE_TOPIC, text("t=21.5"), (error) => { published = error ?? "ok"; });
      world.runUntil(() => published !== "pending", 30_000);
      equal(published, "ok");
      equal(world.broker.received.length, 1);
      equal(String.fromCharCode(...world.broker.received[0].payload), "t=21.5");
      world.broker.publish("dl/logger-0042/config", text("interval=\"60\"\r\nOK"));
      world.run(2000);
      deepEqual(world.downlinks, [{ topic: "dl/logger-0042/config", payload: "interval=\"60\"\r\nOK" }]);
      const health = world.session.health;
      equal(health.operator, "SimTel");
      equal(health.registration.eps, "home");
      equal(health.signal.rssiDbm, -77);
      ok(health.networkTime !== undefined && Math.abs(health.networkTime.epochMs - world.board.trueTime()) < 60_000, "network time read");
      close(world);
      equal(world.session.state, "off");
      equal(world.modem.power, "off");
      equal(world.modem.supplied, false, "supply switched off after POWERED DOWN");
      equal(world.broker.connectedClients, 0, "DISCONNECT sent");
      deepEqual(world.states, ["connecting", "ready", "closing", "off"]);
    },
  },
  {
    name: "the AT sequence holds the required dialect: TLS 1.2, one allowed suite, seclevel 1, CA upload, SNI, both CONNECT fields",
    run() {
      const world = new ModemWorld();
      equal(connect(world), "ok");
      const sent = world.modem.received;
      const order = ["ATE0", "AT+CMEE=1", "AT+CPIN?", "AT+QCFG=\"nwscanseq\",020301,1", "AT+QICSGP=1,1,\"iot.example\"",
        "AT+CEREG?", "AT+QIACT=1", "AT+QLTS=1", "AT+QFUPL=\"ca.pem\"", "AT+QSSLCFG=\"sslversion\",1,3",
        "AT+QSSLCFG=\"ciphersuite\",1,0XC02F", "AT+QSSLCFG=\"seclevel\",1,1", "AT+QSSLCFG=\"cacert\",1,\"ca.pem\"",
        "AT+QSSLCFG=\"sni\",1,1", "AT+QMTCFG=\"ssl\",0,1,1", "AT+QMTOPEN=0,\"broker.example.net\",8883",
        `AT+QMTCONN=0,"${DEVICE.clientId}","${DEVICE.username}","${DEVICE.password}"`, "AT+QMTSUB=0,"];
      let last = -1;
      for (const start of order) {
        const at = indexOfLine(sent, start);
        ok(at > last, `${start} sent after the previous step (at ${at}, previous ${last})`);
        last = at;
      }
      ok(!sent.some((line) => /0XFFFF/i.test(line)), "never all suites");
      ok(!sent.some((line) => /LISTENER|QIOPEN|QISERVER/i.test(line)), "no listening socket");
      let published = false;
      world.session.publish(SAMPLE_TOPIC, text("x"), () => { published = true; });
      world.runUntil(() => published);
      ok(/^AT\+QMTPUB=0,\d+,1,0,"up\/logger-0042\/samples",1$/.test(sent[sent.length - 1]), `fixed-length QoS 1 publish: ${sent[sent.length - 1]}`);
    },
  },
  {
    name: "PSM timers, bands and an NB-IoT-first scan order reach the module as configured",
    run() {
      const world = new ModemWorld();
      const config = mqttConfig({
        psm: { periodicTauS: 3600, activeTimeS: 60 },
        radio: { scanOrder: ["nb", "m1"], bands: { gsm: "0", m1: "80000", nb: "80084" } },
      });
      equal(connect(world, config), "ok");
      const sent = world.modem.received;
      ok(sent.indexOf("AT+CPSMS=1,,,\"00100001\",\"00100001\"") >= 0, "PSM on with 1 h TAU, 1 min active time");
      ok(sent.indexOf("AT+QCFG=\"nwscanseq\",0302,1") >= 0, "NB-IoT before Cat-M1");
      ok(sent.indexOf("AT+QCFG=\"nwscanmode\",3,1") >= 0, "LTE only");
      ok(sent.indexOf("AT+QCFG=\"band\",0,80000,80084,1") >= 0, "band masks");
    },
  },
  {
    name: "the MQTT and APN passwords travel to the modem but never reach the transcript or the trace",
    run() {
      const world = new ModemWorld();
      const session = world.session;
      equal(connect(world), "ok");
      ok(world.modem.received.some((line) => line.indexOf(DEVICE.password) >= 0), "password was sent to the modem");
      ok(world.modem.received.some((line) => line.indexOf(APN.password) >= 0), "APN password was sent to the modem");
      let paused = false;
      session.pause(() => { paused = true; });
      ok(paused);
      let answer: string[] = [];
      session.sendAt("AT+QICSGP=1", (lines) => { answer = lines; });
      world.run(1000);
      equal(answer.length, 1);
      ok(answer[0].indexOf(APN.password) < 0 && answer[0].indexOf("***") > 0, answer[0]);
      session.resume();
      const logs = world.allLogs();
      ok(logs.indexOf(DEVICE.password) < 0, "MQTT password absent from logs");
      ok(logs.indexOf(APN.password) < 0, "APN password absent from logs");
    },
  },
  {
    name: "HTTPS POST: URL and body in CONNECT phases, status and answer body read back",
    run() {
      const world = new ModemWorld();
      equal(connect(world, httpsConfig()), "ok");
      let status = 0;
      let answer = "";
      world.session.post("/v1/ingest?device=logger-0042", text("{\"t\":21.5}"), (error, response) => {
        ok(!error, error?.detail);
        status = response!.status;
        answer = String.fromCharCode(...response!.body);
      });
      world.runUntil(() => status !== 0, 60_000);
      equal(status, 201);
      equal(answer, "{\"stored\":10}");
      equal(world.https.requests.length, 1);
      equal(world.https.requests[0].path, "/v1/ingest?device=logger-0042");
      equal(world.https.requests[0].contentType, "application/octet-stream");
      ok(world.modem.received.some((l) => l === `AT+QHTTPCFG="sslctxid",1`));
      ok(world.modem.received.some((l) => l.startsWith("AT+QHTTPURL=") && l.endsWith(",30")));
      ok(String.fromCharCode(...world.https.requests[0].body) === "{\"t\":21.5}");
      close(world);
      ok(!world.modem.supplied);
    },
  },
  {
    name: "the hard session limit shuts the modem down whatever it is doing (here: searching without coverage)",
    run() {
      const world = new ModemWorld();
      world.modem.radio.setCoverage(false);
      let result: Pending = "pending";
      let published: Pending = "pending";
      world.session.connect(mqttConfig({ registrationTimeoutMs: 600_000 }), (error) => { result = error ?? "ok"; });
      world.session.publish(SAMPLE_TOPIC, text("queued"), (error) => { published = error ?? "ok"; });
      world.run(119_000);
      equal(result, "pending");
      equal(world.session.state, "connecting");
      world.run(1000);
      equal(kind(result), "session-limit");
      equal(kind(published), "session-limit");
      world.run(15_000);
      equal(world.session.state, "off");
      equal(world.modem.power, "off");
      equal(world.modem.supplied, false);
      equal(world.counters.get("modem.sessionLimit"), 1);
    },
  },
  {
    name: "the session limit also ends a session whose modem hangs for good: the supply is cut",
    run() {
      const world = new ModemWorld();
      equal(connect(world, mqttConfig({ sessionLimitMs: 40_000 })), "ok");
      world.modem.faults.hang = { trigger: "AT+QMTPUB", mode: "silent", curedBy: "power-cut" };
      let published: Pending = "pending";
      world.session.publish(SAMPLE_TOPIC, text("x"), (error) => { published = error ?? "ok"; });
      world.runUntil(() => world.session.state === "off", 60_000);
      ok(world.now <= 40_000 + 15_000, `off at ${world.now}`);
      equal(world.modem.supplied, false);
      equal(world.modem.power, "off");
      ok(kind(published) !== "pending" && kind(published) !== "ok", "the publish failed");
    },
  },
  {
    name: "pause holds the firmware back, sendAt talks to the modem, resume lets queued work go",
    run() {
      const world = new ModemWorld();
      equal(connect(world), "ok");
      let refused = "";
      world.session.sendAt("AT+CSQ", (_lines, final) => { refused = final; });
      equal(refused, "not paused");
      world.session.pause(() => undefined);
      let published: Pending = "pending";
      world.session.publish(SAMPLE_TOPIC, text("waits"), (error) => { published = error ?? "ok"; });
      let csq: string[] = [];
      let final = "";
      world.session.sendAt("AT+CSQ", (lines, result) => { csq = lines; final = result; });
      let injected = "";
      world.session.sendAt("AT+CSQ\r\nAT+QFDEL=\"ca.pem\"", (_lines, result) => { injected = result; });
      world.run(5000);
      deepEqual(csq, ["+CSQ: 18,99"]);
      equal(final, "OK");
      equal(injected, "invalid line");
      equal(published, "pending");
      equal(world.broker.received.length, 0);
      world.session.resume();
      world.runUntil(() => published !== "pending", 30_000);
      equal(published, "ok");
    },
  },
  {
    name: "bad configuration and arguments fail at once with a clear error, before any AT command",
    run() {
      const world = new ModemWorld();
      const errors: string[] = [];
      const collect = (error?: ModemError) => errors.push(error ? `${error.kind}: ${error.detail}` : "ok");
      world.session.connect(mqttConfig({ tls: { cipherSuite: 0xffff as 0xc02f, caCertificate: text("x") } }), collect);
      world.session.connect(mqttConfig({ apn: { name: "iot\",\"evil" } }), collect);
      world.session.connect(mqttConfig({ mqtt: { ...DEVICE, password: "a\r\nAT+QFDEL" } }), collect);
      world.session.connect(mqttConfig({ server: { host: "broker.example.net", port: 0 } }), collect);
      world.session.connect(mqttConfig({ psm: { periodicTauS: 3600, activeTimeS: 100_000 } }), collect);
      equal(errors.length, 5);
      ok(errors.every((e) => e.startsWith("invalid-argument")), errors.join("; "));
      equal(world.modem.received.length, 0);
      equal(connect(world), "ok");
      world.session.publish("up/+/x", text("a"), collect);
      world.session.publish(SAMPLE_TOPIC, new Uint8Array(5000), collect);
      world.session.post("/x", text("a"), collect);
      equal(errors.length, 8);
      ok(errors.slice(5).every((e) => e.startsWith("invalid-argument")), errors.join("; "));
    },
  },
];
