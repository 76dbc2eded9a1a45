/**
 * The simulated logger against the simulator world's real servers on loopback: the embedded
 * broker (aedes, TLS 1.2, RSA and ECDSA certificates from a CA made on first run) and the HTTPS
 * ingest endpoint. One real publish and acknowledgement per suite family, and over HTTPS; a
 * wrong password and a certificate from another CA refused with nothing lost; each device
 * confined to its own topics.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { connect } from "mqtt";
import type { Transport } from "../../modules/config/device-config.js";
import { NodeNetwork } from "../../hosts/sim/node/network/node-network.js";
import { makeTestPki } from "../../hosts/sim/node/network/certificates.js";
import { startTestBroker } from "../../hosts/sim/node/network/test-broker.js";
import { loadOrCreatePki } from "../../hosts/sim/node/world/pki-store.js";
import { connectReceiver, startWorldServer, type WorldServer } from "../../hosts/sim/node/world/world-server.js";
import { Scheduler } from "../../hosts/sim/scheduler.js";
import { SimLogger, simAccount, simDeviceDocument, DEFAULT_EPOCH_MS } from "../../hosts/sim/world/sim-world.js";
import { channelSet, Landed } from "../uplink/support/uplink-world.js";
import { runUntilReal } from "../modem/support/real-io.js";

/** One device per logger: a second logger under the same id would restart its numbering at 1. */
const accounts = [1, 2, 3, 4].map((id) => simAccount("loopback", id));

describe("the uplink over the simulator world's real servers (loopback TLS)", function () {
  this.timeout(120_000);
  let dir: string;
  let server: WorldServer;
  let landed: Landed;
  let scheduler: Scheduler;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "world-"));
    landed = new Landed();
    scheduler = new Scheduler();
    server = await startWorldServer({
      dataDir: dir, accounts, listener: landed, now: () => DEFAULT_EPOCH_MS + scheduler.now, hold: (reason) => scheduler.hold(reason),
    });
  });

  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function logger(options: { transport?: Transport; cipherSuite?: number; password?: string; caPem?: string; device?: number; port?: number }) {
    const account = accounts[(options.device ?? 1) - 1];
    const transport = options.transport ?? "mqtt";
    const document = simDeviceDocument(channelSet(), { transport });
    const port = options.port ?? (transport === "mqtt" ? server.broker.port : server.https.port);
    document.uplink = { ...(document.uplink as object), host: "localhost", port, cipherSuite: options.cipherSuite ?? 0xc02b };
    scheduler = new Scheduler();
    return new SimLogger({
      board: { name: account.username, scheduler, seed: `loopback-${account.deviceId}`, epochMs: DEFAULT_EPOCH_MS },
      network: new NodeNetwork(scheduler, { hosts: { localhost: "127.0.0.1" } }),
      account: { ...account, password: options.password ?? account.password }, caPem: options.caPem ?? server.pki.caPem,
      document, siteSeed: "loopback", days: 1,
    });
  }

  /**
   * Runs until the first session ended. With an external broker nothing can hold virtual time
   * between the broker's PUBACK and the receiver's hearing of the packet, so that run is paced at
   * most 100 times faster than the wall clock.
   */
  async function firstSession(sim: SimLogger, paced = false): Promise<string> {
    sim.start();
    const ended = () => (sim.parts?.agent?.status().sessions ?? 0) >= 1;
    if (!paced) assert.ok(await runUntilReal(scheduler, ended, 200_000, 200), "a session ended");
    while (paced && !ended()) {
      if (!scheduler.held) scheduler.runFor(100);
      await sleep(1);
    }
    return sim.parts!.agent!.status().lastResult;
  }

  it("made its CA and certificates on first run and reads them back after", () => {
    const again = loadOrCreatePki(join(dir, "pki"));
    assert.equal(again.created, false);
    assert.equal(again.caPem, server.pki.caPem);
    assert.equal(server.pki.created, true);
  });

  it("lands a real publish and acknowledges it, with an ECDSA and with an RSA suite", async () => {
    for (const [device, suite, cipher] of [[1, 0xc02b, "ECDHE-ECDSA-AES128-GCM-SHA256"], [3, 0xc02f, "ECDHE-RSA-AES128-GCM-SHA256"]] as const) {
      const sim = logger({ cipherSuite: suite, device });
      sim.board.scheduler.runUntil(25_000);
      const before = landed.stored;
      assert.match(await firstSession(sim), /^ok: [1-9]\d* records/);
      assert.deepEqual(server.broker.handshakes.at(-1), { protocol: "TLSv1.2", cipher, servername: "localhost" });
      assert.ok(landed.stored > before);
      assert.equal(sim.parts!.log.stats().acked, sim.parts!.log.stats().newestSeq, "the log's cursor moved on the server's word");
    }
  });

  it("lands a real POST over HTTPS, the acknowledgement in the answer", async () => {
    const sim = logger({ transport: "https", device: 2 });
    sim.board.scheduler.runUntil(25_000);
    assert.match(await firstSession(sim), /^ok: [1-9]\d* records/);
    assert.equal(server.https.handshakes.at(-1)?.protocol, "TLSv1.2");
    assert.ok(sim.parts!.log.stats().acked > 0);
  });

  it("refuses a wrong password (CONNACK 4): nothing is acknowledged, the records wait in the log", async () => {
    const sim = logger({ password: "not-the-password", device: 4 });
    sim.board.scheduler.runUntil(25_000);
    assert.match(await firstSession(sim), /^failed: connect: connack-refused/);
    assert.ok(server.broker.refused.includes(accounts[3].username));
    sim.parts!.log.flush();
    const stats = sim.parts!.log.stats();
    assert.equal(stats.acked, 0);
    assert.ok(stats.newestSeq > 0 && stats.unacked === stats.newestSeq, "everything logged is still there to send");
  });

  it("refuses a server whose certificate does not come from the CA it trusts: no MQTT traffic, nothing lost", async () => {
    const other = makeTestPki({ days: 1 });
    try {
      const connects = server.broker.accepted.length + server.broker.refused.length;
      const sim = logger({ caPem: other.caPem, device: 4 });
      sim.board.scheduler.runUntil(25_000);
      assert.match(await firstSession(sim), /^failed: connect: mqtt-open-failed/);
      assert.equal(server.broker.accepted.length + server.broker.refused.length, connects, "no MQTT CONNECT reached the broker");
      assert.equal(sim.parts!.log.stats().acked, 0);
    } finally {
      other.dispose();
    }
  });

  it("confines each device to its own topics", async () => {
    const [one, two] = accounts;
    const client = await connect(`mqtts://localhost:${server.broker.port}`, {
      ca: server.pki.caPem, username: one.username, password: one.password, clientId: one.username, protocolVersion: 4, reconnectPeriod: 0,
    });
    await new Promise<void>((resolve, reject) => {
      client.once("connect", () => resolve());
      client.once("error", reject);
    });
    const own = await client.subscribeAsync(`dl/${one.username}/#`, { qos: 1 });
    assert.deepEqual(own.map((grant) => grant.qos), [1], "its own downlink granted");
    await assert.rejects(client.subscribeAsync(`dl/${two.username}/#`, { qos: 1 }), /Subscribe error/, "another device's refused");
    assert.ok(server.broker.denied.includes(`${one.username} subscribe dl/${two.username}/#`));
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    client.publish(`up/${two.username}/data`, Buffer.from([1, 2, 3]), { qos: 1 });
    await closed;
    client.end(true);
    assert.ok(server.broker.denied.some((line) => line === `${one.username} publish up/${two.username}/data`));
    const impostor = connect(`mqtts://localhost:${server.broker.port}`, {
      ca: server.pki.caPem, username: one.username, password: one.password, clientId: two.username, protocolVersion: 4, reconnectPeriod: 0,
    });
    const refusal = await new Promise<Error>((resolve) => impostor.once("error", resolve));
    impostor.end(true);
    assert.match(refusal.message, /Identifier rejected/i);
  });

  it("works with an external broker (--broker): the receiver is one more client of it", async () => {
    const pki = makeTestPki({ days: 1 });
    const device = accounts[1];
    const broker = await startTestBroker({ tls: { identity: pki.ecdsa }, users: { [device.username]: device.password, receiver: "receiver-pw" } });
    const external = new Landed();
    const receiver = await connectReceiver({
      url: `mqtts://localhost:${broker.port}`, caPem: pki.caPem, username: "receiver", password: "receiver-pw", accounts: [device],
      listener: external, now: () => DEFAULT_EPOCH_MS + scheduler.now, hold: (reason) => scheduler.hold(reason),
    });
    try {
      const sim = logger({ device: 2, caPem: pki.caPem, port: broker.port });
      sim.board.scheduler.runUntil(25_000);
      assert.match(await firstSession(sim, true), /^ok: [1-9]\d* records/);
      assert.ok(external.stored > 0);
      assert.equal(sim.parts!.log.stats().acked, sim.parts!.log.stats().newestSeq);
    } finally {
      await receiver.close();
      await broker.close();
      pki.dispose();
    }
  });
});
