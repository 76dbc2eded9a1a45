/**
 * The platform's serial over Moddable's native UART (PortSerial + NativeUart), against a
 * simulated Moddable serial class with the ESP32's 128-byte FIFO, in virtual time.
 */
import { checkEsp32Framing } from "../../hosts/esp32/framing.js";
import { checkNrf52Framing } from "../../hosts/nrf52/framing.js";
import { TX_CAPACITY } from "../../hosts/moddable/port-serial.js";
import { characterTimeMs } from "../../hosts/sim/serial-bus.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import { ascii, nativeWorld, text } from "./fakes/serial-world.js";

const esp32 = () => nativeWorld({ fifoBytes: 128, sevenBitParity: false, checkFraming: checkEsp32Framing });
const nrf52 = () => nativeWorld({ fifoBytes: 768, sevenBitParity: true, checkFraming: checkNrf52Framing });
const CHAR_115200_MS = characterTimeMs({ baud: 115200, dataBits: 8, parity: "none", stopBits: 1 });

export const cases: TestCase[] = [
  {
    name: "writes beyond the 128-byte FIFO are queued, arrive in order, and onWritable comes when the line is idle",
    run() {
      const world = esp32();
      const writableAt: number[] = [];
      const serial = world.open({ port: "modem", baud: 115200, onWritable() { writableAt.push(world.scheduler.now); } });
      const message = Uint8Array.from({ length: 600 }, (_, i) => (i * 13) & 0xff);
      serial.write(message.subarray(0, 200));
      serial.write(message.subarray(200, 400));
      serial.write(message.subarray(400));
      world.scheduler.runFor(1000);
      deepEqual(Uint8Array.from(world.peerLog.bytes), message);
      const lineIdle = 600 * CHAR_115200_MS;
      const last = writableAt[writableAt.length - 1];
      // One character of margin, and timers count whole milliseconds.
      ok(last >= lineIdle && last <= lineIdle + CHAR_115200_MS + 1, `last onWritable at ${last} ms, line idle at ${lineIdle} ms`);
    },
  },
  {
    name: "beyond 1024 bytes waiting for the FIFO a write is \"output full\", and what was queued still goes out",
    run() {
      const world = esp32();
      const serial = world.open({ port: "modem", baud: 115200 });
      serial.write(new Uint8Array(TX_CAPACITY).fill(0x55));
      // 128 went into the FIFO at once; 896 wait.
      throws(() => serial.write(new Uint8Array(200)), /output full/);
      serial.write(new Uint8Array(128).fill(0xaa));
      world.scheduler.runFor(1000);
      equal(world.peerLog.bytes.length, TX_CAPACITY + 128);
      equal(world.peerLog.bytes[TX_CAPACITY], 0xaa);
    },
  },
  {
    name: "ESP32 refuses 7E1 with the reason; nRF52 opens it and a 7E1 peer reads the characters",
    run() {
      throws(() => esp32().open({ port: "sdi12", baud: 1200, dataBits: 7, parity: "even" }), /8N1 only.*softwareParity/);
      const world = nrf52();
      world.peer.setFraming({ baud: 1200, dataBits: 7, parity: "even" });
      const serial = world.open({ port: "sdi12", baud: 1200, dataBits: 7, parity: "even" });
      const options = world.chip.opened[world.chip.opened.length - 1];
      equal(options.data, 7);
      equal(options.parity, "even");
      serial.write(ascii("0M!"));
      world.scheduler.runFor(100);
      equal(text(world.peerLog.bytes), "0M!");
      throws(() => serial.set({ stopBits: 2 }), /one stop bit/);
    },
  },
  {
    name: "a break closes the UART and holds TX low for its length; bytes written during it follow it",
    run() {
      const world = nrf52();
      world.peer.setFraming({ baud: 1200, dataBits: 7, parity: "even" });
      const serial = world.open({ port: "sdi12", baud: 1200, dataBits: 7, parity: "even" });
      world.scheduler.runFor(5);
      serial.set({ break: true });
      serial.write(ascii("?!"));
      world.scheduler.after(13, () => serial.set({ break: false }));
      world.scheduler.runFor(100);
      deepEqual(world.peerLog.breaks, [{ active: true, at: 5 }, { active: false, at: 18 }]);
      equal(text(world.peerLog.bytes), "?!");
      ok(world.peerLog.arrivals[0] >= 18, "the command left after the break");
      equal(world.chip.opened.length, 2);
    },
  },
  {
    name: "a baud change reopens the port and keeps bytes that had arrived but were not yet read",
    run() {
      const world = esp32();
      const received: number[] = [];
      const serial = world.open({
        port: "console", baud: 115200,
        onReadable() { received.push(...(this.read() ?? [])); },
      });
      const end = world.peer.send(ascii("abc"));
      world.scheduler.at(end, () => serial.set({ baud: 9600 }));
      world.scheduler.runFor(10);
      equal(text(received), "abc");
      equal(world.chip.opened[1].baud, 9600);
      world.peer.setFraming({ baud: 9600 });
      world.peer.send(ascii("de"));
      world.scheduler.runFor(10);
      equal(text(received), "abcde");
    },
  },
  {
    name: "unread bytes beyond 4096 drop the oldest and are reported",
    run() {
      const world = esp32();
      const serial = world.open({ port: "console", baud: 115200 });
      const flood = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
      for (let at = 0; at < flood.length; at += 100) world.peer.send(flood.subarray(at, at + 100));
      world.scheduler.runFor(1000);
      deepEqual(serial.read(), flood.subarray(5000 - 4096));
      ok(world.reported.some((e) => e instanceof Error && /unread bytes dropped/.test(e.message)), "overflow reported");
    },
  },
  {
    name: "an exception in a firmware callback is reported, and the port keeps working",
    run() {
      const world = esp32();
      let calls = 0;
      const serial = world.open({
        port: "console", baud: 115200,
        onReadable() { calls++; throw new Error("driver bug"); },
      });
      world.peer.send(ascii("x"));
      world.scheduler.runFor(5);
      world.peer.send(ascii("y"));
      world.scheduler.runFor(5);
      equal(calls, 2);
      equal(world.reported.length, 2);
      equal(text(serial.read() ?? []), "xy");
      serial.close();
      throws(() => serial.write(ascii("z")), /closed/);
    },
  },
];
