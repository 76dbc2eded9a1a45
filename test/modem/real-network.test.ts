/**
 * The driver and the simulated BG95 over a real network on loopback: TLS 1.2 with exactly the
 * configured suite (Node tls), MQTT 3.1.1 to aedes, HTTPS to a Node server, certificates made
 * by openssl for the test. Shows the connection refused when the server offers none of the four
 * suites, when the CA does not match, and when the server speaks TLS 1.3 only; a Range GET and a
 * DFOTA download from the same HTTPS server.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { ModemError } from "../../drivers/modem/bg9x/modem-error.js";
import type { CipherSuite } from "../../drivers/modem/bg9x/tls-config.js";
import type { ModemSessionConfig } from "../../drivers/modem/session/session-config.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { makeTestPki, type TestPki } from "../../hosts/sim/node/network/certificates.js";
import { NodeNetwork } from "../../hosts/sim/node/network/node-network.js";
import { startTestBroker, type TestBroker } from "../../hosts/sim/node/network/test-broker.js";
import { startTestHttpsServer, type TestHttpsServer } from "../../hosts/sim/node/network/test-https-server.js";
import type { HttpGetResponse } from "../../drivers/modem/bg9x/https-client.js";
import { ModemFirmwareUpdater, type ModemUpdateResult } from "../../modules/ota/modem-dfota.js";
import { dfotaPackage } from "../../hosts/sim/ota/dfota-modem.js";
import { APN, DEVICE, ModemRig, text } from "./support/modem-world.js";
import { runUntilReal } from "./support/real-io.js";

const SERVER_NAME = "localhost";
/** What the simulated BG95 runs out of the box. */
const SIM_BASE_REVISION = "BG95M3LAR02A03_01.200.01.200";

describe("modem over a real loopback network (TLS 1.2, aedes, https)", function () {
  this.timeout(30_000);
  let pki: TestPki;
  let rsaBroker: TestBroker;
  let ecdsaBroker: TestBroker;
  let otherSuitesBroker: TestBroker;
  let tls13Broker: TestBroker;
  let foreignBroker: TestBroker;
  let httpsServer: TestHttpsServer;

  before(async () => {
    pki = makeTestPki();
    const users = { [DEVICE.username]: DEVICE.password };
    rsaBroker = await startTestBroker({ tls: { identity: pki.rsa }, users });
    ecdsaBroker = await startTestBroker({ tls: { identity: pki.ecdsa }, users });
    otherSuitesBroker = await startTestBroker({
      tls: { identity: pki.rsa, ciphers: "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:AES128-GCM-SHA256", maxVersion: "TLSv1.2" },
      users,
    });
    tls13Broker = await startTestBroker({ tls: { identity: pki.rsa, minVersion: "TLSv1.3" }, users });
    foreignBroker = await startTestBroker({ tls: { identity: pki.foreign }, users });
    httpsServer = await startTestHttpsServer({ tls: { identity: pki.rsa } });
  });

  after(async () => {
    for (const server of [rsaBroker, ecdsaBroker, otherSuitesBroker, tls13Broker, foreignBroker, httpsServer]) await server?.close();
    pki?.dispose();
  });

  function rig(): ModemRig {
    const board = new SimBoard({ seed: 11 });
    return new ModemRig(board, new NodeNetwork(board.scheduler, { hosts: { [SERVER_NAME]: "127.0.0.1" } }));
  }

  function config(port: number, overrides: Partial<ModemSessionConfig> = {}, suite: CipherSuite = 0xc02f): ModemSessionConfig {
    return {
      apn: { ...APN },
      server: { host: SERVER_NAME, port },
      tls: { cipherSuite: suite, caCertificate: text(pki.caPem) },
      transport: "mqtt",
      mqtt: { ...DEVICE, downlinkTopics: ["dl/logger-0042/#"] },
      ...overrides,
    };
  }

  async function connect(world: ModemRig, settings: ModemSessionConfig): Promise<ModemError | undefined> {
    let outcome: { error: ModemError | undefined } | undefined;
    world.session.connect(settings, (error) => { outcome = { error }; });
    assert.ok(await runUntilReal(world.board.scheduler, () => outcome !== undefined, 150_000), "connect finished");
    return outcome!.error;
  }

  async function close(world: ModemRig): Promise<void> {
    let closed = false;
    world.session.close(() => { closed = true; });
    assert.ok(await runUntilReal(world.board.scheduler, () => closed, 60_000), "closed");
  }

  it("runs a full session: TLS 1.2 with the configured suite and SNI, MQTT CONNECT, PUBACK, downlink, DISCONNECT", async () => {
    const world = rig();
    assert.equal(await connect(world, config(rsaBroker.port)), undefined);
    assert.deepEqual(rsaBroker.handshakes.at(-1), { protocol: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", servername: SERVER_NAME });
    let published: ModemError | "ok" | undefined;
    world.session.publish("up/logger-0042/samples", text("t=21.5"), (error) => { published = error ?? "ok"; });
    assert.ok(await runUntilReal(world.board.scheduler, () => published !== undefined, 30_000));
    assert.equal(published, "ok");
    assert.deepEqual(rsaBroker.received.map((m) => [m.clientId, m.topic, Buffer.from(m.payload).toString()]),
      [[DEVICE.clientId, "up/logger-0042/samples", "t=21.5"]]);
    await rsaBroker.publish("dl/logger-0042/config", text("interval=60"));
    // The broker delivers in wall-clock time: give it that, then let the modem pass the message on.
    for (let waited = 0; world.downlinks.length === 0 && waited < 2000; waited += 5) {
      await sleep(5);
      await runUntilReal(world.board.scheduler, () => world.downlinks.length > 0, 100);
    }
    assert.deepEqual(world.downlinks, [{ topic: "dl/logger-0042/config", payload: "interval=60" }]);
    await close(world);
    assert.equal(world.modem.supplied, false);
    for (let waited = 0; rsaBroker.connectedClients() > 0 && waited < 2000; waited += 10) await sleep(10);
    assert.equal(rsaBroker.connectedClients(), 0, "DISCONNECT reached the broker");
  });

  it("negotiates exactly the configured suite, for each of the four (RSA and ECDSA certificates)", async () => {
    const expectations: Array<[CipherSuite, () => TestBroker, string]> = [
      [0xc02f, () => rsaBroker, "ECDHE-RSA-AES128-GCM-SHA256"],
      [0xc027, () => rsaBroker, "ECDHE-RSA-AES128-SHA256"],
      [0xc02b, () => ecdsaBroker, "ECDHE-ECDSA-AES128-GCM-SHA256"],
      [0xc023, () => ecdsaBroker, "ECDHE-ECDSA-AES128-SHA256"],
    ];
    for (const [suite, broker, cipher] of expectations) {
      const world = rig();
      assert.equal(await connect(world, config(broker().port, {}, suite)), undefined, `suite ${suite.toString(16)}`);
      assert.equal(broker().handshakes.at(-1)?.cipher, cipher);
      assert.equal(broker().handshakes.at(-1)?.protocol, "TLSv1.2");
      await close(world);
    }
  });

  it("refuses a server that offers none of the four suites", async () => {
    const world = rig();
    const error = await connect(world, config(otherSuitesBroker.port));
    assert.equal(error?.kind, "mqtt-open-failed");
    assert.equal(otherSuitesBroker.handshakes.length, 0);
    assert.equal(otherSuitesBroker.received.length, 0);
    assert.ok(await runUntilReal(world.board.scheduler, () => world.session.state === "off", 30_000));
    assert.equal(world.modem.supplied, false);
  });

  it("refuses a server whose certificate does not come from the uploaded CA", async () => {
    const world = rig();
    assert.equal((await connect(world, config(rsaBroker.port, { tls: { cipherSuite: 0xc02f, caCertificate: text(pki.otherCaPem) } })))?.kind, "mqtt-open-failed");
    const second = rig();
    assert.equal((await connect(second, config(foreignBroker.port, {}, 0xc02b)))?.kind, "mqtt-open-failed");
    assert.equal(foreignBroker.refused.length + foreignBroker.received.length, 0, "no MQTT traffic to the foreign server");
  });

  it("refuses a server that speaks TLS 1.3 only", async () => {
    const world = rig();
    assert.equal((await connect(world, config(tls13Broker.port)))?.kind, "mqtt-open-failed");
    assert.equal(tls13Broker.handshakes.length, 0);
  });

  it("reports CONNACK 4 from a broker that checks the password", async () => {
    const world = rig();
    const error = await connect(world, config(rsaBroker.port, { mqtt: { ...DEVICE, password: "not-the-password" } }));
    assert.equal(error?.kind, "connack-refused");
    assert.equal(error?.code, 4);
    assert.equal(rsaBroker.refused.length, 1);
  });

  it("POSTs over HTTPS and reads the answer", async () => {
    const world = rig();
    assert.equal(await connect(world, config(httpsServer.port, { transport: "https" })), undefined);
    let status = 0;
    let body = "";
    world.session.post("/v1/ingest", text("{\"t\":21.5}"), (error, response) => {
      assert.equal(error, undefined);
      status = response!.status;
      body = Buffer.from(response!.body).toString();
    });
    assert.ok(await runUntilReal(world.board.scheduler, () => status !== 0, 60_000));
    assert.equal(status, 201);
    assert.equal(body, "{\"stored\":10}");
    assert.deepEqual(httpsServer.requests.map((r) => [r.method, r.path, r.contentType, Buffer.from(r.body).toString()]),
      [["POST", "/v1/ingest", "application/octet-stream", "{\"t\":21.5}"]]);
    assert.equal(httpsServer.handshakes.at(-1)?.cipher, "ECDHE-RSA-AES128-GCM-SHA256");
    await close(world);
  });

  it("GETs a byte range over HTTPS beside MQTT: the Range field reaches the server, Content-Range and the bytes come back", async () => {
    const file = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
    httpsServer.publish("/images/1.2.0.bin", file);
    const world = rig();
    assert.equal(await connect(world, config(rsaBroker.port)), undefined);
    const url = `https://${SERVER_NAME}:${httpsServer.port}/images/1.2.0.bin`;
    const fetch = async (range: string) => {
      let answer: { error: ModemError | undefined; response: HttpGetResponse | undefined } | undefined;
      world.session.get(url, { Range: range }, (error, response) => { answer = { error, response }; });
      assert.ok(await runUntilReal(world.board.scheduler, () => answer !== undefined, 60_000), "GET finished");
      return answer!;
    };
    const middle = await fetch("bytes=8192-16383");
    assert.equal(middle.error, undefined);
    assert.equal(middle.response?.status, 206);
    assert.equal(middle.response?.fields["content-range"], "bytes 8192-16383/20000");
    assert.deepEqual(middle.response?.body, file.slice(8192, 16384));
    const beyond = await fetch("bytes=20000-28191");
    assert.equal(beyond.response?.status, 416);
    assert.deepEqual(httpsServer.requests.slice(-2).map((r) => [r.method, r.path, r.range]),
      [["GET", "/images/1.2.0.bin", "bytes=8192-16383"], ["GET", "/images/1.2.0.bin", "bytes=20000-28191"]]);
    await close(world);
  });

  it("updates the modem by DFOTA from a real HTTPS server verified with the session's CA", async () => {
    httpsServer.publish("/modem/delta.zip", dfotaPackage(SIM_BASE_REVISION, "BG95M3LAR02A03_01.201.01.201"));
    const world = rig();
    assert.equal(await connect(world, config(rsaBroker.port, { sessionLimitMs: 60_000 })), undefined);
    let handed: ModemError | "ok" | undefined;
    world.session.beginModemUpdate((error) => { handed = error ?? "ok"; });
    assert.ok(await runUntilReal(world.board.scheduler, () => handed !== undefined, 30_000));
    assert.equal(handed, "ok");
    let result: ModemUpdateResult | undefined;
    new ModemFirmwareUpdater(world.session.modemUpdateAt, world.platform.timers).update({
      fromRevision: SIM_BASE_REVISION, toRevision: "BG95M3LAR02A03_01.201.01.201", url: `https://${SERVER_NAME}:${httpsServer.port}/modem/delta.zip`,
    }, () => undefined, (outcome) => {
      result = outcome;
      world.session.endModemUpdate();
    });
    assert.ok(await runUntilReal(world.board.scheduler, () => result !== undefined, 30 * 60_000, 1000), "update finished");
    assert.deepEqual(result, { ok: true, revision: "BG95M3LAR02A03_01.201.01.201" });
    assert.equal(httpsServer.requests.at(-1)?.path, "/modem/delta.zip");
    await close(world);
  });
});
