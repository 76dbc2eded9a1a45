/**
 * The firmware inside the real XS engine (xsnap-worker) against a SimBoard in Node, through the
 * synchronous bridge: the same scenarios run natively must leave the same world behind.
 */
import assert from "node:assert/strict";
import { createECDH, hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { boot } from "../../modules/main.js";
import { SimBoard, type Firmware } from "../../hosts/sim/board.js";
import { measureInXs } from "../../hosts/xs/measure.js";
import { XsFirmware, type XsFirmwareMeter } from "../../hosts/xs/xs-firmware.js";
import { deriveSessionKey } from "../../hosts/xs/workloads/ecdh-hkdf.js";
import { probe, PROBE_TICK_MS } from "./fixtures/bridge-probe.js";

const HOUR_MS = 3_600_000;
const encoder = new TextEncoder();

function reportMeter(label: string, meter: Readonly<XsFirmwareMeter>): void {
  console.log(`      xs ${label}: ${meter.deliveries} deliveries, ${meter.requests} requests, compute ${meter.compute}, ` +
    `heap ${meter.heapCount} slots (peak ${meter.peakHeapCount}), load compute ${meter.load.compute}`);
}

interface ProbeWorld {
  trace: string[];
  console: string;
  notifications: string[];
  crashes: string[];
  bootCount: number;
  running: boolean[];
  flash: Uint8Array;
  storage: Record<string, Uint8Array>;
  railLevel: number;
}

/** Drives the probe firmware through every bridged capability, in virtual time. */
function runProbeScenario(firmware: Firmware): ProbeWorld {
  const board = new SimBoard({ seed: "xs-probe" });
  const terminal = board.attach("console", "terminal");
  let consoleText = "";
  terminal.listener = { onBytes: (bytes) => { consoleText += new TextDecoder().decode(bytes); } };
  board.pins.connectAnalog(board.pinMap.analog[0], () => 1.65);
  const notifications: string[] = [];
  const running: boolean[] = [];
  const type = (at: number, text: string) => board.scheduler.at(at, () => terminal.send(encoder.encode(text)));

  board.start(firmware);
  type(1_000, "echo hello xs\n");
  type(2_000, "analog\n");
  board.scheduler.at(2_500, () => board.pins.addPulses(board.pinMap.pulse[0], 7));
  type(3_000, "pulses\n");
  type(3_500, "time 1767225600000\n");
  board.scheduler.at(4_000, () => board.ble.connect({
    onNotification: (characteristic, value) => notifications.push(`${characteristic}:${new TextDecoder().decode(value)}`),
    onDisconnected: () => notifications.push("disconnected"),
  }));
  board.scheduler.at(4_200, () => board.ble.write("command", encoder.encode("abc")));
  type(5_000, "nonsense\n");
  type(6_000, "crash\n");
  type(9_000, "append 1 one\n");
  board.scheduler.at(12_000, () => board.flash.armPowerCut(1, "prefix"));
  type(12_000, "append 2 two\n");
  board.scheduler.at(13_000, () => running.push(board.running));
  board.scheduler.at(15_000, () => board.powerOn());
  type(17_000, "restart asked\n");
  board.scheduler.runFor(PROBE_TICK_MS * 4);
  running.push(board.running);
  return {
    trace: [...board.traceLog],
    console: consoleText,
    notifications,
    crashes: [...board.crashes],
    bootCount: board.bootCount,
    running,
    flash: board.flash.image(),
    storage: board.storage.entries(),
    railLevel: board.pins.level(board.pinMap.rails[0]),
  };
}

describe("XS host: firmware in xsnap-worker, board in Node", function () {
  this.timeout(30_000);

  it("boots modules/main.ts in XS and traces health on virtual time exactly as natively", async () => {
    const firmware = await XsFirmware.load({ name: "main" });
    try {
      const inXs = new SimBoard({ seed: 11 });
      const native = new SimBoard({ seed: 11 });
      inXs.start(firmware.boot);
      native.start(boot);
      inXs.scheduler.runFor(2 * HOUR_MS);
      native.scheduler.runFor(2 * HOUR_MS);
      assert.match(inXs.traceLog[0], /^boot sim:logger firmware \S+ reset=power-on flash=256KiB\/4096B$/);
      const healthLines = inXs.traceLog.filter((line) => line.startsWith("health "));
      assert.equal(healthLines.length, 120, "one health line a minute for two hours");
      assert.match(healthLines[119], /^health up=7200s bat=\d\.\d{3}V /);
      assert.deepEqual(inXs.traceLog, native.traceLog);
      assert.deepEqual(inXs.crashes, []);
      const meter = firmware.meter;
      assert.ok(meter.deliveries >= 121, "at least the boot and the 120 health timer firings crossed into XS");
      assert.ok(meter.compute > 0 && meter.heapCount > 0);
      reportMeter("main.ts, 2 h", meter);
    } finally {
      firmware.close();
    }
  });

  it("bridges flash, storage, CSPRNG, clock, IO, BLE, crashes, restarts and power cuts faithfully", async () => {
    const firmware = await XsFirmware.load({ entry: "test/xs/fixtures/bridge-probe.ts", exportName: "probe", name: "probe" });
    let inXs: ProbeWorld;
    try {
      inXs = runProbeScenario(firmware.boot);
      reportMeter("bridge probe", firmware.meter);
    } finally {
      firmware.close();
    }
    const native = runProbeScenario(probe);
    assert.deepEqual(inXs, native);

    const trace = inXs.trace.join("\n");
    assert.match(trace, /flash deadbeefffffffff of 262144\/4096\/1/);
    assert.match(trace, /flash refused: FlashError program at 4096 would set bits/);
    assert.match(trace, /analog code=2048 of 12 bits/);
    assert.match(trace, /pulses 7/);
    assert.match(trace, /time now=1767225600000 quality=server/);
    assert.match(trace, /unknown command "nonsense"/);
    assert.doesNotMatch(trace, /never: cleared/);
    assert.match(inXs.console, /^HELLO XS\n$/);
    assert.deepEqual(inXs.notifications, ["command:cba", "disconnected"], "the crash's reset dropped the link");
    assert.deepEqual(inXs.crashes, ["TypeError: probe crash on request"]);
    assert.match(trace, /probe boot reset=crash/);
    assert.deepEqual(inXs.running, [false, true], "the power cut halted the board; power-on booted it again");
    assert.match(trace, /probe boot reset=restart/);
    assert.equal(inXs.bootCount, 4, "power-on, crash, power cut + power-on, restart");
    assert.deepEqual(inXs.storage.boots, Uint8Array.of(4));
    assert.equal(inXs.railLevel, 1);
    assert.equal(new TextDecoder().decode(inXs.flash.subarray(4100, 4104)), "one ", "the write before the cut landed whole");
    assert.match(trace, /probe boot reset=power-on[^]*flash deadbeef6f6e6520/, "and was read back after the reboots");
  });

  it("runs P-256 ECDH and HKDF-SHA256 with noble inside XS, equal to Node's own crypto", async () => {
    const vectors = JSON.parse(readFileSync("../shared/vectors/ecdh_secp256r1_ecpoint_test.json", "utf8")) as {
      testGroups: Array<{ tests: Array<{ tcId: number; public: string; private: string; shared: string; result: string }> }>;
    };
    const vector = vectors.testGroups[0].tests.find((test) => test.tcId === 1)!;
    const input = {
      privateKeyHex: vector.private.padStart(64, "0").slice(-64),
      peerPublicKeyHex: vector.public,
      saltHex: "00112233445566778899aabbccddeeff",
      infoHex: encoder.encode("datalogger session").reduce((text, b) => text + b.toString(16).padStart(2, "0"), ""),
    };
    const measured = await measureInXs("hosts/xs/workloads/ecdh-hkdf.ts", "deriveSessionKey", input);

    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(Buffer.from(input.privateKeyHex, "hex"));
    const shared = ecdh.computeSecret(Buffer.from(input.peerPublicKeyHex, "hex"));
    assert.equal(shared.toString("hex"), vector.shared, "Node agrees with Wycheproof");
    const nodeKey = Buffer.from(hkdfSync("sha256", shared, Buffer.from(input.saltHex, "hex"), Buffer.from(input.infoHex, "hex"), 32));
    assert.equal(measured.result, nodeKey.toString("hex"));
    assert.equal(deriveSessionKey(input), nodeKey.toString("hex"), "the same workload on Node");
    console.log(`      xs ECDH+HKDF: compute ${measured.compute}, heap ${measured.heapCount} slots, ${measured.wallMs.toFixed(1)} ms`);
  });

  it("completes an ephemeral handshake whose key XS drew from the host's CSPRNG", async () => {
    const peer = createECDH("prime256v1");
    peer.generateKeys();
    const input = { peerPublicKeyHex: peer.getPublicKey("hex"), saltHex: "a5".repeat(16), infoHex: "01" };
    const first = await measureInXs("hosts/xs/workloads/ecdh-hkdf.ts", "ephemeralHandshake", input);
    const second = await measureInXs("hosts/xs/workloads/ecdh-hkdf.ts", "ephemeralHandshake", input);
    const results = [first.result, second.result] as Array<{ publicKeyHex: string; sessionKeyHex: string }>;
    assert.notEqual(results[0].publicKeyHex, results[1].publicKeyHex, "fresh randomness each run");
    for (const result of results) {
      const shared = peer.computeSecret(Buffer.from(result.publicKeyHex, "hex"));
      const key = Buffer.from(hkdfSync("sha256", shared, Buffer.from(input.saltHex, "hex"), Buffer.from(input.infoHex, "hex"), 32));
      assert.equal(result.sessionKeyHex, key.toString("hex"));
    }
  });
});
