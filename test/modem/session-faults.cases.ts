/**
 * Network-side faults: no SIM, registration denied, no coverage for a while, coverage lost in
 * a session, TLS refusals (wrong CA, no common suite, TLS 1.3 only) and a refused CONNACK.
 */
import type { ModemError } from "../../drivers/modem/bg9x/modem-error.js";
import type { CipherSuite } from "../../drivers/modem/bg9x/tls-config.js";
import type { TestCase } from "../support/cases.js";
import { equal, ok } from "../support/assert.js";
import { DEVICE, MODERN_SERVER, ModemWorld, OTHER_CA, TRUSTED_CA, httpsConfig, mqttConfig, text } from "./support/modem-world.js";
import { RecordUplink, assertAllDelivered, records } from "./support/record-uplink.js";
import type { ModemSessionConfig } from "../../drivers/modem/session/session-config.js";
import type { ServerTlsPolicy } from "../../hosts/sim/modem/tls-policy.js";

interface Outcome {
  error: ModemError | undefined;
  atMs: number;
}

function connect(world: ModemWorld, config: ModemSessionConfig = mqttConfig()): Outcome {
  let outcome: Outcome | undefined;
  world.session.connect(config, (error) => { outcome = { error, atMs: world.now }; });
  ok(world.runUntil(() => outcome !== undefined, 200_000), "connect finished");
  return outcome!;
}

function expectShutDown(world: ModemWorld): void {
  ok(world.runUntil(() => world.session.state === "off", 30_000), "session ended");
  equal(world.modem.supplied, false, "modem supply off");
}

function tlsRefusal(server: ServerTlsPolicy, suite: CipherSuite = 0xc02f, ca = TRUSTED_CA): void {
  const world = new ModemWorld({ broker: server });
  const outcome = connect(world, mqttConfig({ tls: { cipherSuite: suite, caCertificate: text(ca) } }));
  equal(outcome.error?.kind, "mqtt-open-failed", outcome.error?.detail);
  equal(outcome.error?.code, -1);
  equal(world.broker.stats.connects, 0, "no MQTT CONNECT reached the broker");
  equal(world.modem.received.filter((l) => l.startsWith("AT+QMTOPEN=")).length, 3, "three open attempts");
  expectShutDown(world);
}

export const cases: TestCase[] = [
  {
    name: "no SIM: the connect fails with no-sim and the modem is powered down",
    run() {
      const world = new ModemWorld();
      world.modem.radio.simPresent = false;
      const outcome = connect(world);
      equal(outcome.error?.kind, "no-sim");
      equal(outcome.error?.code, 10);
      ok(outcome.atMs < 10_000, `failed after ${outcome.atMs} ms`);
      expectShutDown(world);
      equal(world.counters.get("modem.connectFailures"), 1);
    },
  },
  {
    name: "registration denied: the connect fails after a few polls instead of waiting out the timeout",
    run() {
      const world = new ModemWorld();
      world.modem.radio.denied = true;
      const outcome = connect(world);
      equal(outcome.error?.kind, "registration-denied");
      ok(outcome.atMs < 20_000, `failed after ${outcome.atMs} ms`);
      equal(world.session.health.registration.eps, "denied");
      expectShutDown(world);
    },
  },
  {
    name: "no coverage for 40 s: registration waits and the session opens once coverage returns",
    run() {
      const world = new ModemWorld();
      world.modem.radio.loseCoverageFor(40_000);
      const outcome = connect(world);
      equal(outcome.error, undefined);
      ok(outcome.atMs > 40_000 && outcome.atMs < 70_000, `ready after ${outcome.atMs} ms`);
    },
  },
  {
    name: "no coverage beyond the registration timeout: no-coverage, modem off",
    run() {
      const world = new ModemWorld();
      world.modem.radio.setCoverage(false);
      const outcome = connect(world, mqttConfig({ registrationTimeoutMs: 30_000 }));
      equal(outcome.error?.kind, "no-coverage");
      ok(outcome.atMs > 30_000 && outcome.atMs < 40_000, `failed after ${outcome.atMs} ms`);
      expectShutDown(world);
    },
  },
  {
    name: "coverage lost in a session: the link drops, the session reconnects and no record is lost",
    run() {
      const world = new ModemWorld();
      const data = records(6);
      const uplink = new RecordUplink(world, mqttConfig(), data);
      uplink.start();
      ok(world.runUntil(() => world.broker.received.length >= 2, 60_000));
      world.modem.radio.loseCoverageFor(20_000);
      ok(world.runUntil(() => uplink.finished, 110_000), "all records acknowledged");
      assertAllDelivered(world, data);
      ok(world.counters.get("modem.linkDrops") >= 1, "link drop seen");
      ok(world.states.indexOf("connecting", 1) > 0, "reconnected");
    },
  },
  {
    name: "TLS: a server certificate from another CA is refused",
    run() {
      tlsRefusal(MODERN_SERVER, 0xc02f, OTHER_CA);
    },
  },
  {
    name: "TLS: a server offering none of the four suites is refused",
    run() {
      tlsRefusal({ ...MODERN_SERVER, suites: [0xc030, 0x009c, 0xc028] });
    },
  },
  {
    name: "TLS: a server speaking TLS 1.3 only is refused",
    run() {
      tlsRefusal({ ...MODERN_SERVER, versions: ["TLSv1.3"] });
    },
  },
  {
    name: "TLS: the ECDSA suites work with an ECDSA server, an RSA suite does not",
    run() {
      const ecdsaServer: ServerTlsPolicy = { ...MODERN_SERVER, keyType: "ecdsa", suites: [0xc02b, 0xc023, 0xc02f] };
      for (const suite of [0xc02b, 0xc023] as const) {
        const world = new ModemWorld({ broker: ecdsaServer });
        equal(connect(world, mqttConfig({ tls: { cipherSuite: suite, caCertificate: text(TRUSTED_CA) } })).error, undefined);
      }
      tlsRefusal(ecdsaServer, 0xc02f);
    },
  },
  {
    name: "CONNACK refused (bad password): checked in both result fields, not retried",
    run() {
      const world = new ModemWorld();
      const outcome = connect(world, mqttConfig({ mqtt: { ...DEVICE, password: "wrong-password-123" } }));
      equal(outcome.error?.kind, "connack-refused");
      equal(outcome.error?.code, 4);
      equal(world.broker.stats.refused, 1, "one CONNECT only");
      expectShutDown(world);
    },
  },
  {
    name: "HTTPS with a wrong CA: the post fails with the HTTP stack's error, nothing reaches the server",
    run() {
      const world = new ModemWorld();
      equal(connect(world, httpsConfig({ tls: { cipherSuite: 0xc02f, caCertificate: text(OTHER_CA) } })).error, undefined);
      let failure: ModemError | undefined;
      world.session.post("/v1/ingest", text("x"), (error) => { failure = error; });
      ok(world.runUntil(() => failure !== undefined, 90_000));
      equal(failure?.kind, "http-failed");
      equal(failure?.code, 701);
      equal(world.https.requests.length, 0);
    },
  },
];
