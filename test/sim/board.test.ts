import assert from "node:assert/strict";
import { SimBoard } from "../../hosts/sim/board.js";
import { PowerCut } from "../../hosts/sim/nor-flash.js";
import { DigitalEdge, DigitalMode } from "../../modules/platform/io.js";
import type { Platform } from "../../modules/platform/platform.js";

const text = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : "");

describe("simulated board", () => {
  it("runs firmware timers on virtual time and gives each boot a fresh monotonic clock", () => {
    const board = new SimBoard({ seed: 1 });
    const ticks: number[] = [];
    board.start((platform) => {
      platform.timers.repeat(() => ticks.push(platform.clock.monotonic()), 1000);
    });
    board.scheduler.runFor(3500);
    assert.deepEqual(ticks, [1000, 2000, 3000]);
  });

  it("restart cancels the old boot's timers and closes its IO before booting again", () => {
    const board = new SimBoard({ seed: 1 });
    const boots: string[] = [];
    let firedAfterRestart = 0;
    board.start((platform) => {
      boots.push(platform.resetReason);
      new platform.io.Serial({ port: "console", baud: 115200 }); // would throw "in use" if not closed
      if (boots.length === 1) {
        platform.timers.set(() => firedAfterRestart++, 5000);
        platform.timers.set(() => platform.restart("test"), 1000);
      }
    });
    board.scheduler.runFor(10_000);
    assert.deepEqual(boots, ["power-on", "restart"]);
    assert.equal(firedAfterRestart, 0);
    assert.equal(board.crashes.length, 0);
  });

  it("a crash in firmware is recorded and the board reboots with reset reason crash", () => {
    const board = new SimBoard({ seed: 1 });
    const reasons: string[] = [];
    board.start((platform) => {
      reasons.push(platform.resetReason);
      if (reasons.length === 1) platform.timers.set(() => { throw new TypeError("bug"); }, 10);
    });
    board.scheduler.runFor(100);
    assert.deepEqual(reasons, ["power-on", "crash"]);
    assert.deepEqual(board.crashes, ["TypeError: bug"]);
  });

  it("a power cut inside a flash operation halts the firmware until power returns", () => {
    const board = new SimBoard({ seed: 1, flash: { blocks: 4 } });
    let writes = 0;
    board.start((platform) => {
      platform.timers.repeat(() => {
        platform.flash.write(writes, Uint8Array.of(0));
        writes++;
      }, 100);
    });
    board.flash.armPowerCut(3, "prefix");
    board.scheduler.runFor(1000);
    assert.equal(writes, 2, "the third write was torn and nothing ran after it");
    assert.equal(board.running, false);
    assert.throws(() => board.flash.read(0, 1), PowerCut);
    board.powerOn();
    board.scheduler.runFor(250);
    assert.equal(board.bootCount, 2);
    assert.equal(board.crashes.length, 0);
  });

  it("serial bytes take their baud time to cross and arrive intact", () => {
    const board = new SimBoard({ seed: 1 });
    const peer = board.attach("rs232", "sensor");
    const received: Array<[number, string]> = [];
    peer.listener = { onBytes: (bytes) => received.push([board.scheduler.now, text(bytes)]) };
    board.start((platform) => {
      const port = new platform.io.Serial({ port: "rs232", baud: 9600 });
      port.write(new TextEncoder().encode("0123456789"));
    });
    board.scheduler.runFor(100);
    // 10 characters of 10 bits at 9600 baud.
    assert.equal(received.length, 1);
    assert.equal(received[0][1], "0123456789");
    assert.ok(Math.abs(received[0][0] - (10 * 10 * 1000) / 9600) < 1e-9);
  });

  it("a framing mismatch gives the receiver garbage and framing errors, not the data", () => {
    const board = new SimBoard({ seed: 1 });
    const peer = board.attach("rs232", "sensor");
    peer.setFraming({ baud: 19200 });
    const errors: string[] = [];
    let got: Uint8Array | undefined;
    board.start((platform) => {
      new platform.io.Serial({
        port: "rs232", baud: 9600,
        onReadable() { got = this.read(); },
        onError(kind) { errors.push(kind); },
      });
    });
    peer.send(new TextEncoder().encode("hello"));
    board.scheduler.runFor(100);
    assert.deepEqual(errors, ["framing"]);
    assert.notEqual(text(got), "hello");
  });

  it("7-bit framing masks the eighth bit and a parity error drops the byte", () => {
    const board = new SimBoard({ seed: 1 });
    const peer = board.attach("sdi12", "probe");
    peer.setFraming({ baud: 1200, dataBits: 7, parity: "even" });
    const chunks: string[] = [];
    const errors: string[] = [];
    board.start((platform) => {
      new platform.io.Serial({
        port: "sdi12", baud: 1200, dataBits: 7, parity: "even",
        onReadable() { chunks.push(text(this.read())); },
        onError(kind) { errors.push(kind); },
      });
    });
    peer.send(Uint8Array.of(0x80 | 0x30, 0x21));
    peer.send(Uint8Array.of(0x31), "parity");
    board.scheduler.runFor(1000);
    assert.deepEqual(chunks, ["0!"]);
    assert.deepEqual(errors, ["parity"]);
  });

  it("a write beyond the transmit buffer throws output full, and onWritable reports when the line drains", () => {
    const board = new SimBoard({ seed: 1 });
    board.attach("sdi12", "probe");
    const events: string[] = [];
    board.start((platform) => {
      const port = new platform.io.Serial({
        port: "sdi12", baud: 1200,
        onWritable() { events.push(`writable@${Math.round(board.scheduler.now)}`); },
      });
      port.write(new Uint8Array(1000));
      assert.throws(() => port.write(new Uint8Array(100)), /output full/);
    });
    board.scheduler.runFor(20_000);
    assert.equal(events.at(-1), `writable@${Math.round((1000 * 10 * 1000) / 1200)}`);
  });

  it("overlapping transmissions on a shared bus collide", () => {
    const board = new SimBoard({ seed: 1 });
    const a = board.attach("sdi12", "a");
    const b = board.attach("sdi12", "b");
    const errors: string[] = [];
    board.start((platform) => {
      new platform.io.Serial({ port: "sdi12", baud: 1200, onError(kind) { errors.push(kind); } });
    });
    a.send(new Uint8Array(5).fill(0x41));
    b.send(new Uint8Array(5).fill(0x42));
    board.scheduler.runFor(1000);
    assert.deepEqual(errors, ["framing", "framing"]);
    assert.equal(board.buses.sdi12.collisions, 1);
  });

  it("digital inputs report edges, outputs are seen by the world, and pins cannot be opened twice", () => {
    const board = new SimBoard({ seed: 1 });
    const edges: number[] = [];
    const rail: number[] = [];
    board.pins.watch(25, (level) => rail.push(level));
    board.start((platform: Platform) => {
      new platform.io.Digital({
        pin: 15, mode: DigitalMode.InputPullUp, edge: DigitalEdge.Falling,
        onReadable() { edges.push(this.read()); },
      });
      const power = new platform.io.Digital({ pin: 25, mode: DigitalMode.Output });
      power.write(1);
      assert.throws(() => new platform.io.Digital({ pin: 25, mode: DigitalMode.Output }), /in use/);
      assert.throws(() => power.read(), /can't read output/);
    });
    board.pins.drive(15, 1);
    board.pins.drive(15, 0);
    board.pins.drive(15, 1);
    board.scheduler.runFor(10);
    assert.deepEqual(edges, [1], "one falling edge, read after the fact like a real interrupt");
    assert.deepEqual(rail, [1]);
  });

  it("the ADC converts the connected voltage to a 12-bit code and clamps at full scale", () => {
    const board = new SimBoard({ seed: 1 });
    let volts = 1.65;
    board.pins.connectAnalog(32, () => volts);
    const codes: number[] = [];
    board.start((platform) => {
      const adc = new platform.io.Analog({ pin: 32 });
      codes.push(adc.read());
      volts = 5;
      codes.push(adc.read());
    });
    assert.deepEqual(codes, [Math.round(0.5 * 4095), 4095]);
  });

  it("the pulse unit filters glitches and loses pulses when not read before it wraps", () => {
    const board = new SimBoard({ seed: 1 });
    const counts: number[] = [];
    board.start((platform) => {
      const counter = new platform.io.PulseCount({ signal: 13, filter: 10_000 });
      board.pins.addPulses(13, 5, 50_000);
      board.pins.addPulses(13, 3, 1_000); // contact bounce narrower than the filter
      counts.push(counter.read());
      board.pins.addPulses(13, 40_000, 50_000);
      counts.push(counter.read());
    });
    assert.deepEqual(counts, [5, 5 + (40_000 - 32_768)]);
  });

  it("the wall clock starts unset, is set with a quality, and keeps running across a restart", () => {
    const board = new SimBoard({ seed: 1, epochMs: Date.UTC(2026, 5, 1) });
    const seen: string[] = [];
    board.start((platform) => {
      seen.push(platform.clock.quality);
      if (seen.length === 1) {
        platform.clock.setTime(Date.UTC(2027, 0, 1), "network");
        seen.push(`${platform.clock.quality}:${new Date(platform.clock.now()).toISOString()}`);
        platform.timers.set(() => platform.restart("after sync"), 60_000);
      } else {
        seen.push(new Date(platform.clock.now()).toISOString());
      }
    });
    board.scheduler.runFor(61_000);
    assert.deepEqual(seen, ["unset", "network:2027-01-01T00:00:00.000Z", "rtc", "2027-01-01T00:01:00.000Z"]);
  });

  it("the same seed gives the same random bytes; different seeds differ", () => {
    const bytesOf = (seed: number) => {
      const board = new SimBoard({ seed });
      let out: Uint8Array = new Uint8Array(16);
      board.start((platform) => { out = platform.random.getRandomValues(new Uint8Array(16)); });
      return out;
    };
    assert.deepEqual(bytesOf(7), bytesOf(7));
    assert.notDeepEqual(bytesOf(7), bytesOf(8));
  });

  it("a BLE central connects, writes and receives notifications with link latency", () => {
    const board = new SimBoard({ seed: 1 });
    const log: string[] = [];
    board.start((platform) => {
      platform.ble.start("DL-1", {
        onConnected: () => log.push(`connected@${board.scheduler.now}`),
        onDisconnected: () => log.push("disconnected"),
        onCharacteristicWritten: (name, value) => {
          log.push(`written ${name} ${value.length}`);
          platform.ble.notifyValue("notify", value);
        },
      });
    });
    assert.equal(board.ble.advertising, "DL-1");
    board.ble.connect({
      onNotification: (name, value) => log.push(`notified ${name} ${value.length}`),
      onDisconnected: () => log.push("central saw disconnect"),
    });
    board.ble.write("request", new Uint8Array(10));
    assert.throws(() => board.ble.write("request", new Uint8Array(245)), /MTU/);
    board.scheduler.runFor(100);
    board.ble.disconnect();
    board.scheduler.runFor(100);
    assert.deepEqual(log, ["connected@15", "written request 10", "notified notify 10", "central saw disconnect", "disconnected"]);
  });

  it("a reset takes the firmware's BLE service away until the new boot starts it again", () => {
    const board = new SimBoard({ seed: 1 });
    const writes: number[] = [];
    board.start((platform) => {
      const boot = board.bootCount;
      if (boot === 1) {
        platform.ble.start("DL-1", { onConnected() {}, onDisconnected() {}, onCharacteristicWritten: () => writes.push(boot) });
        platform.timers.set(() => platform.restart("test"), 1000);
      }
    });
    board.scheduler.runFor(2000);
    assert.equal(board.ble.advertising, undefined, "the old boot's service does not advertise after the reset");
    assert.equal(board.ble.connect({ onNotification() {}, onDisconnected() {} }), false);
    assert.deepEqual(writes, []);
  });
});
