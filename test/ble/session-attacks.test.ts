/**
 * The installer session against an attacker who has everything on the air but the pairing key:
 * man in the middle, replays of a whole session and of single records, reordering, reflection,
 * every single-field (and single-byte) mutation, truncated and oversized frames, every state
 * violation, silence and backoff. Each must end in a dropped connection, with the logger running
 * and, before authentication, without a word from the device.
 */
import assert from "node:assert/strict";
import { InstallerApp } from "../../hosts/sim/app/installer-app.js";
import { p256KeyPair } from "../../modules/crypto/p256.js";
import { concatBytes } from "../../modules/crypto/bytes.js";
import { fragmentMessage } from "../../modules/ble/fragments.js";
import { InstallerCharacteristic } from "../../modules/ble/gatt.js";
import { CLIENT_HELLO_BYTES, MessageType } from "../../modules/ble/handshake.js";
import { encodeStatus } from "../../modules/ble/status-codec.js";
import { assertDropped, assertStillRunning } from "./assertions.js";
import {
  AppSteps, appRandom, establish, LOGGER_KEY, OTHER_KEY, RawCentral, SAMPLE_STATUS, settle, startLogger, type LoggerUnderTest,
} from "./harness.js";
import { Relay } from "./relay.js";

const { handshake: HANDSHAKE, request: REQUEST, notification: NOTIFICATION } = InstallerCharacteristic;

function flipped(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const copy = bytes.slice();
  copy[index] ^= mask;
  return copy;
}

function replaced(bytes: Uint8Array, offset: number, part: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy.set(part, offset);
  return copy;
}

function sentOn(central: RawCentral, characteristic: string): number {
  return central.notifications.filter((n) => n.characteristic === characteristic).length;
}

/** One attempt per connection: the logger, a fresh central, and (optionally) an honest handshake. */
function attempt(logger: LoggerUnderTest, label: string, authenticate: boolean): { central: RawCentral; steps: AppSteps } {
  settle(logger);
  const central = new RawCentral(logger.board.ble);
  const steps = new AppSteps(LOGGER_KEY, appRandom(label));
  if (authenticate) establish(logger, central, steps);
  else assert.ok(central.connect());
  return { central, steps };
}

function appTo(logger: LoggerUnderTest, link = logger.board.ble, key = LOGGER_KEY) {
  const closed: string[] = [];
  const app = new InstallerApp({
    link, scheduler: logger.board.scheduler, pairingKey: key, random: appRandom("app"), pollIntervalMs: 500,
    onClosed: (reason) => closed.push(reason),
  });
  return { app, closed };
}

describe("BLE installer session: man in the middle without the key", () => {
  it("a forwarding relay sees only ciphertext, and the app and logger complete normally", () => {
    const logger = startLogger();
    const relay = new Relay(logger.board.scheduler, logger.board.ble);
    const { app } = appTo(logger, relay.appLink);
    app.connect();
    logger.run(3_000);
    assert.equal(app.state, "established");
    const plaintext = encodeStatus(SAMPLE_STATUS);
    const onAir = concatBytes(...relay.seen.map((s) => s.value));
    const window = 8;
    for (let i = 0; i + window <= plaintext.length; i++) {
      const needle = plaintext.subarray(i, i + window);
      const found = onAir.some((_, j) => needle.every((b, k) => onAir[j + k] === b));
      assert.ok(!found, `status bytes ${i}..${i + window} visible on the air`);
    }
  });

  it("swapping its own ephemeral key into ClientHello meets a silent logger that drops it", () => {
    const logger = startLogger();
    const relay = new Relay(logger.board.scheduler, logger.board.ble);
    const mallory = p256KeyPair(appRandom("mallory"));
    relay.toDevice = (characteristic, value) => (characteristic === HANDSHAKE ? replaced(value, 3, mallory.publicKey) : value);
    const { app, closed } = appTo(logger, relay.appLink);
    app.connect();
    logger.run(1_000);
    assert.equal(relay.seen.filter((s) => !s.toDevice).length, 0, "the logger sent nothing");
    assert.equal(logger.counters.get("ble.drop.binder"), 1);
    assert.deepEqual(closed, ["disconnected by the logger"]);
    assertStillRunning(logger);
  });

  it("posing as the logger, it cannot confirm the keys and the app drops it", () => {
    const logger = startLogger();
    const relay = new Relay(logger.board.scheduler, logger.board.ble);
    const mallory = p256KeyPair(appRandom("mallory"));
    relay.toApp = (characteristic, value) =>
      characteristic === HANDSHAKE ? replaced(value, 2, mallory.publicKey) : value;
    const { app, closed } = appTo(logger, relay.appLink);
    app.connect();
    logger.run(1_000);
    assert.equal(closed.length, 1);
    assert.match(closed[0], /dropped: ServerHello confirmation does not verify/);
    assert.equal(logger.service().state, "advertising", "the logger saw the app leave");
    assert.equal(logger.counters.get("ble.failedHandshakes"), 1);
  });

  it("a record altered on its way to the app makes the app drop the connection", () => {
    const logger = startLogger();
    const relay = new Relay(logger.board.scheduler, logger.board.ble);
    relay.toApp = (characteristic, value) => (characteristic === NOTIFICATION ? flipped(value, value.length - 1) : value);
    const { app, closed } = appTo(logger, relay.appLink);
    app.connect();
    logger.run(1_000);
    assert.deepEqual(closed, ["dropped: record MAC does not verify"]);
    assert.equal(logger.service().state, "advertising");
    assertStillRunning(logger);
  });

  it("an app with the wrong key is met with silence and a dropped connection", () => {
    const logger = startLogger();
    const { central } = attempt(logger, "wrong", false);
    central.send(HANDSHAKE, new AppSteps(OTHER_KEY).hello);
    assertDropped(logger, central, "binder", true);
    const { app, closed } = appTo(logger, logger.board.ble, OTHER_KEY);
    settle(logger);
    app.connect();
    logger.run(1_000);
    assert.deepEqual(closed, ["disconnected by the logger"]);
  });
});

describe("BLE installer session: replays, reordering, reflection", () => {
  /** Records every value an honest app writes during a session, with its time. */
  function recordSession(logger: LoggerUnderTest): Array<{ at: number; characteristic: string; value: Uint8Array }> {
    const relay = new Relay(logger.board.scheduler, logger.board.ble);
    const { app } = appTo(logger, relay.appLink);
    const start = logger.board.scheduler.now;
    const writes: Array<{ at: number; characteristic: string; value: Uint8Array }> = [];
    relay.toDevice = (characteristic, value) => {
      writes.push({ at: logger.board.scheduler.now - start, characteristic, value });
      return value;
    };
    app.connect();
    logger.run(2_200);
    app.requestSiteCheck();
    logger.run(300);
    app.close();
    logger.run(3_000);
    assert.ok(writes.length >= 6);
    return writes;
  }

  function replay(logger: LoggerUnderTest, writes: ReturnType<typeof recordSession>): RawCentral {
    settle(logger);
    const central = new RawCentral(logger.board.ble);
    assert.ok(central.connect());
    const start = logger.board.scheduler.now;
    for (const write of writes) logger.board.scheduler.at(start + write.at, () => central.writeRaw(write.characteristic, write.value));
    logger.run(writes[writes.length - 1].at + 500);
    return central;
  }

  it("a whole earlier session replayed gets silence and a drop", () => {
    const logger = startLogger();
    const central = replay(logger, recordSession(logger));
    assertDropped(logger, central, "replay", true);
  });

  it("replayed after a reboot (the replay memory is gone) it gets no further than ClientFinished", () => {
    const logger = startLogger();
    const writes = recordSession(logger);
    logger.board.cutPower();
    logger.board.powerOn();
    const central = replay(logger, writes);
    logger.run(100);
    assert.equal(central.connected, false);
    assert.equal(logger.counters.get("ble.drop.confirm"), 1);
    assert.equal(sentOn(central, NOTIFICATION), 0, "no status to the replayer");
    assert.deepEqual(logger.board.crashes, []);
  });

  it("a record replayed within its session is dropped", () => {
    const logger = startLogger();
    const { central, steps } = attempt(logger, "replay-record", true);
    const record = steps.request({ kind: "status" });
    central.send(REQUEST, record);
    logger.run(100);
    assert.equal(sentOn(central, NOTIFICATION), 1);
    central.send(REQUEST, record);
    assertDropped(logger, central, "sequence", false);
    assert.equal(sentOn(central, NOTIFICATION), 1);
  });

  it("records out of order are dropped", () => {
    const logger = startLogger();
    const { central, steps } = attempt(logger, "reorder", true);
    steps.request({ kind: "status" });
    central.send(REQUEST, steps.request({ kind: "status" }));
    assertDropped(logger, central, "sequence", false);
    assert.equal(sentOn(central, NOTIFICATION), 0);
  });

  it("the logger's own record reflected back to it is dropped, whatever its type byte says", () => {
    for (const retype of [false, true]) {
      const logger = startLogger();
      const { central, steps } = attempt(logger, `reflect-${retype}`, true);
      central.send(REQUEST, steps.request({ kind: "status" }));
      logger.run(100);
      const deviceRecord = central.last()!;
      central.send(REQUEST, retype ? replaced(deviceRecord, 0, Uint8Array.of(MessageType.AppRecord)) : deviceRecord);
      assertDropped(logger, central, "mac", false);
    }
  });

  it("a record from an earlier session is dropped in a later one", () => {
    const logger = startLogger();
    const first = attempt(logger, "first", true);
    const old = first.steps.request({ kind: "status" });
    first.central.disconnect();
    const second = attempt(logger, "second", true);
    second.central.send(REQUEST, old);
    assertDropped(logger, second.central, "mac", false);
  });
});

describe("BLE installer session: single-field mutations", () => {
  const hello = new AppSteps().hello;
  const helloFields: Array<[string, Uint8Array, string]> = [
    ["type", flipped(hello, 0, 0x03), "type"],
    ["version", flipped(hello, 1), "version"],
    ["point prefix", flipped(hello, 2), "binder"],
    ["point x", flipped(hello, 10), "binder"],
    ["point y", flipped(hello, 60), "binder"],
    ["binder", flipped(hello, CLIENT_HELLO_BYTES - 1, 0x80), "binder"],
    ["point compressed", concatBytes(hello.subarray(0, 2), Uint8Array.of(2 + (hello[66] & 1)), hello.subarray(3, 35), hello.subarray(67)), "length"],
  ];
  for (const [name, mutated, reason] of helloFields) {
    it(`ClientHello with a changed ${name}: silence and a drop (${reason})`, () => {
      const logger = startLogger();
      const { central } = attempt(logger, name, false);
      central.send(HANDSHAKE, mutated);
      assertDropped(logger, central, reason, true);
    });
  }

  it("every single-byte change to ClientHello: silence and a drop, without any ECDH", () => {
    const logger = startLogger();
    for (let i = 0; i < CLIENT_HELLO_BYTES; i++) {
      const { central } = attempt(logger, `hello-${i}`, false);
      central.send(HANDSHAKE, flipped(hello, i, 0x40));
      logger.run(100);
      assert.equal(central.connected, false, `byte ${i}`);
      assert.deepEqual(central.notifications, [], `byte ${i}`);
    }
    assert.equal(logger.counters.get("ble.failedHandshakes"), CLIENT_HELLO_BYTES);
    assert.equal(logger.counters.get("ble.sessions"), 0);
    assertStillRunning(logger);
  });

  it("every single-byte change to ClientFinished: a drop and no status", () => {
    const logger = startLogger();
    for (let i = 0; i < 33; i++) {
      const { central, steps } = attempt(logger, `finished-${i}`, false);
      central.send(HANDSHAKE, steps.hello);
      logger.run(100);
      central.send(HANDSHAKE, flipped(steps.finish(central.last(HANDSHAKE)!), i));
      logger.run(100);
      assert.equal(central.connected, false, `byte ${i}`);
      assert.equal(sentOn(central, NOTIFICATION), 0);
    }
    assert.equal(logger.counters.get("ble.drop.type"), 1);
    assert.equal(logger.counters.get("ble.drop.confirm"), 32);
    assert.equal(logger.counters.get("ble.sessions"), 0);
    assertStillRunning(logger);
  });

  it("every single-byte change to a record (type, sequence, IV, ciphertext, MAC): a drop for the MAC", () => {
    const logger = startLogger();
    let length = 0;
    for (let i = 0; ; i++) {
      const { central, steps } = attempt(logger, `record-${i}`, true);
      const record = steps.request({ kind: "status" });
      length = record.length;
      central.send(REQUEST, flipped(record, i));
      logger.run(100);
      assert.equal(central.connected, false, `byte ${i}`);
      assert.equal(sentOn(central, NOTIFICATION), 0);
      if (i === length - 1) break;
    }
    assert.equal(logger.counters.get("ble.drop.mac"), length);
    assertStillRunning(logger);
  });

  it("a fragment out of order, or a last fragment marked as not last, ends the connection", () => {
    const logger = startLogger();
    const { central, steps } = attempt(logger, "fragment-index", false);
    central.writeRaw(HANDSHAKE, concatBytes(Uint8Array.of(0x81), steps.hello));
    assertDropped(logger, central, "fragment", true);

    const waiting = attempt(logger, "fragment-last", false);
    waiting.central.writeRaw(HANDSHAKE, concatBytes(Uint8Array.of(0x00), waiting.steps.hello));
    logger.run(29_000);
    assert.ok(waiting.central.connected, "still waiting for the rest");
    logger.run(1_100);
    assertDropped(logger, waiting.central, "timeout", true);
  });
});

describe("BLE installer session: truncated and oversized frames", () => {
  const cases: Array<[string, (steps: AppSteps) => [string, Uint8Array], string, boolean]> = [
    ["ClientHello one byte short", (s) => [HANDSHAKE, s.hello.subarray(0, CLIENT_HELLO_BYTES - 1)], "length", true],
    ["ClientHello one byte long", (s) => [HANDSHAKE, concatBytes(s.hello, Uint8Array.of(0))], "length", true],
    ["ClientHello of 1024 bytes", (s) => [HANDSHAKE, concatBytes(s.hello, new Uint8Array(1024 - CLIENT_HELLO_BYTES))], "length", true],
    ["an empty GATT value", () => [HANDSHAKE, new Uint8Array(0)], "fragment", true],
    ["a control byte alone", () => [HANDSHAKE, Uint8Array.of(0x80)], "fragment", true],
  ];
  for (const [name, make, reason, silent] of cases) {
    it(`${name}: ${reason}`, () => {
      const logger = startLogger();
      const { central, steps } = attempt(logger, name, false);
      const [characteristic, message] = make(steps);
      if (message.length <= 1) central.writeRaw(characteristic, message);
      else central.send(characteristic, message);
      assertDropped(logger, central, reason, silent);
    });
  }

  it("ClientFinished short or long: length", () => {
    const logger = startLogger();
    for (const change of [-1, 1]) {
      const { central, steps } = attempt(logger, `finished${change}`, false);
      central.send(HANDSHAKE, steps.hello);
      logger.run(100);
      const finished = steps.finish(central.last(HANDSHAKE)!);
      central.send(HANDSHAKE, change < 0 ? finished.subarray(0, 32) : concatBytes(finished, Uint8Array.of(0)));
      logger.run(100);
      assert.equal(central.connected, false);
    }
    assert.equal(logger.counters.get("ble.drop.length"), 2);
    assertStillRunning(logger);
  });

  const recordCases: Array<[string, (record: Uint8Array) => Uint8Array, string]> = [
    ["a record one byte short", (r) => r.subarray(0, r.length - 1), "length"],
    ["a record without its MAC", (r) => r.subarray(0, r.length - 32), "length"],
    ["a record with a block appended", (r) => concatBytes(r, new Uint8Array(16)), "mac"],
    ["a record of its header only", (r) => r.subarray(0, 5), "length"],
  ];
  for (const [name, mutate, reason] of recordCases) {
    it(`${name}: ${reason}`, () => {
      const logger = startLogger();
      const { central, steps } = attempt(logger, name, true);
      central.send(REQUEST, mutate(steps.request({ kind: "status" })));
      assertDropped(logger, central, reason, false);
      assert.equal(sentOn(central, NOTIFICATION), 0);
    });
  }

  it("a record longer than any message (1040 bytes): length, as soon as the excess arrives", () => {
    const logger = startLogger();
    const { central } = attempt(logger, "oversized", true);
    // fragmentMessage refuses to build it, so the attacker frames it by hand.
    const fragments = fragmentMessage(new Uint8Array(1024).fill(0x10), logger.board.ble.mtu);
    fragments[fragments.length - 1][0] &= 0x7f;
    for (const fragment of fragments) central.writeRaw(REQUEST, fragment);
    central.writeRaw(REQUEST, concatBytes(Uint8Array.of(fragments.length | 0x80), new Uint8Array(16)));
    assertDropped(logger, central, "length", false);
  });
});

describe("BLE installer session: state violations", () => {
  const beforeHello: Array<[string, (steps: AppSteps) => [string, Uint8Array], string]> = [
    ["ClientFinished first", () => [HANDSHAKE, concatBytes(Uint8Array.of(MessageType.ClientFinished), new Uint8Array(32))], "type"],
    ["a ServerHello from the app", () => [HANDSHAKE, concatBytes(Uint8Array.of(MessageType.ServerHello), new Uint8Array(97))], "type"],
    ["a record on the handshake characteristic", () => [HANDSHAKE, concatBytes(Uint8Array.of(MessageType.AppRecord), new Uint8Array(68))], "type"],
    ["a request before the handshake", (s) => [REQUEST, s.hello], "state"],
    ["a write to the notification characteristic", (s) => [NOTIFICATION, s.hello], "state"],
    ["a write to an unknown characteristic", (s) => ["firmware", s.hello], "state"],
  ];
  for (const [name, make, reason] of beforeHello) {
    it(`before ClientHello, ${name}: silence and a drop (${reason})`, () => {
      const logger = startLogger();
      const { central, steps } = attempt(logger, name, false);
      const [characteristic, message] = make(steps);
      central.send(characteristic, message);
      assertDropped(logger, central, reason, true);
    });
  }

  it("after ServerHello: a second ClientHello, a request, or a record instead of ClientFinished", () => {
    const logger = startLogger();
    const violations: Array<[string, (steps: AppSteps) => Uint8Array, string]> = [
      [HANDSHAKE, (s) => s.hello, "length"],
      [REQUEST, () => new Uint8Array(69), "state"],
      [HANDSHAKE, () => concatBytes(Uint8Array.of(MessageType.AppRecord), new Uint8Array(32)), "type"],
    ];
    for (const [characteristic, make, reason] of violations) {
      const { central, steps } = attempt(logger, `${characteristic}-${reason}`, false);
      central.send(HANDSHAKE, steps.hello);
      logger.run(100);
      central.send(characteristic, make(steps));
      assertDropped(logger, central, reason, false);
      assert.equal(sentOn(central, NOTIFICATION), 0);
    }
  });

  it("once established: any handshake message ends the session", () => {
    const logger = startLogger();
    for (const message of [new AppSteps().hello, new Uint8Array(33).fill(MessageType.ClientFinished)]) {
      const { central } = attempt(logger, `established-${message.length}`, true);
      central.send(HANDSHAKE, message);
      logger.run(100);
      assert.equal(central.connected, false);
    }
    assert.equal(logger.counters.get("ble.drop.state"), 2);
    assert.equal(logger.counters.get("ble.failedHandshakes"), 0);
    assertStillRunning(logger);
  });

  it("once established: a request the protocol does not have ends the session", () => {
    const logger = startLogger();
    const { central, steps } = attempt(logger, "unknown-request", true);
    central.send(REQUEST, steps.writer!.seal(Uint8Array.of(0x04)));
    assertDropped(logger, central, "message", false);
    const second = attempt(logger, "long-request", true);
    second.central.send(REQUEST, second.steps.writer!.seal(Uint8Array.of(0x01, 0x00)));
    assertDropped(logger, second.central, "message", false);
  });

  it("the app drops a logger that sends a record before the handshake is done", () => {
    const logger = startLogger();
    const relay = new Relay(logger.board.scheduler, logger.board.ble);
    relay.toApp = (characteristic, value) => (characteristic === HANDSHAKE ? undefined : value);
    const { app, closed } = appTo(logger, relay.appLink);
    app.connect();
    logger.run(100);
    relay.inject(NOTIFICATION, concatBytes(Uint8Array.of(0x80), new Uint8Array(69)));
    logger.run(100);
    assert.equal(app.state, "closed");
    assert.deepEqual(closed, ['dropped: notification on "notification" while awaiting-server-hello']);
  });
});

describe("BLE installer session: time boxes and backoff", () => {
  it("a connection that says nothing, half a message, or no ClientFinished is dropped after 30 s", () => {
    const logger = startLogger();
    const silent = attempt(logger, "silent", false);
    logger.run(29_900);
    assert.ok(silent.central.connected);
    logger.run(200);
    assertDropped(logger, silent.central, "timeout", true);

    const half = attempt(logger, "half", false);
    half.central.writeRaw(HANDSHAKE, concatBytes(Uint8Array.of(0x00), half.steps.hello.subarray(0, 50)));
    logger.run(30_100);
    assert.equal(half.central.connected, false);

    const noFinish = attempt(logger, "no-finish", false);
    noFinish.central.send(HANDSHAKE, noFinish.steps.hello);
    logger.run(30_100);
    assert.equal(noFinish.central.connected, false);
    assert.equal(logger.counters.get("ble.drop.timeout"), 3);
    assert.equal(logger.counters.get("ble.failedHandshakes"), 3);
  });

  it("refuses connections while backing off, doubling to a one-minute cap, and never locks the installer out", () => {
    const logger = startLogger();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { central } = attempt(logger, `fail-${i}`, false);
      central.send(HANDSHAKE, new AppSteps(OTHER_KEY).hello);
      logger.run(100);
      waits.push(Math.round(logger.service().backoffRemainingMs / 100) * 100);
    }
    assert.deepEqual(waits, [400, 900, 1900, 3900, 7900, 15900, 31900, 59900, 59900, 59900]);

    const early = new RawCentral(logger.board.ble);
    assert.ok(early.connect());
    early.send(HANDSHAKE, new AppSteps().hello);
    logger.run(200);
    assert.equal(early.connected, false, "refused during backoff");
    assert.deepEqual(early.notifications, []);
    assert.equal(logger.counters.get("ble.refused"), 1);
    assert.equal(logger.counters.get("ble.failedHandshakes"), 10, "a refusal does not extend the backoff");

    const { central, steps } = attempt(logger, "rightful", true);
    central.send(REQUEST, steps.request({ kind: "status" }));
    logger.run(100);
    assert.equal(steps.response(central.last()!).kind, "status");
    central.disconnect();
    logger.run(100);
    const again = attempt(logger, "after-success", false);
    again.central.send(HANDSHAKE, new AppSteps(OTHER_KEY).hello);
    logger.run(100);
    assert.ok(logger.service().backoffRemainingMs <= 500, "success reset the backoff");
    assertStillRunning(logger);
  });
});
