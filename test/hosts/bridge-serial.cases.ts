/**
 * The platform's serial over an SC16IS752 channel (PortSerial + BridgeChannel), against a
 * register-level simulation of the chip on the I2C bus, with its IRQ line, in virtual time.
 */
import { divisorFor, Register } from "../../hosts/moddable/sc16is7xx.js";
import { characterTimeMs } from "../../hosts/sim/serial-bus.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import { ascii, bridgeWorld, text } from "./fakes/serial-world.js";

const SDI12 = { baud: 1200, dataBits: 7, parity: "even" } as const;

export const cases: TestCase[] = [
  {
    name: "SDI-12 framing: divisor 768 from the 14.7456 MHz crystal, LCR 7E1; a 7E1 peer reads the command",
    run() {
      const world = bridgeWorld(1, { autoDirection: "rts-high-while-sending" });
      world.peer.setFraming(SDI12);
      const serial = world.open({ port: "sdi12", ...SDI12 });
      const subB = (register: number) => (register << 3) | (1 << 1);
      const writes = world.chip.writes.map((w) => w.join(","));
      ok(writes.includes(`${subB(Register.DLL)},0`) && writes.includes(`${subB(Register.DLH)},3`), `divisor written: ${writes.join(" | ")}`);
      ok(writes.includes(`${subB(Register.LCR)},${0x1a}`), "LCR 7 bits, parity, even");
      ok(writes.includes(`${subB(Register.EFCR)},${0x30}`), "automatic RTS direction, high while sending");
      serial.write(ascii("0I!"));
      world.scheduler.runFor(100);
      equal(text(world.peerLog.bytes), "0I!");
    },
  },
  {
    name: "a break is LCR bit 6: the line is held exactly between the two set() calls",
    run() {
      const world = bridgeWorld(1);
      const serial = world.open({ port: "sdi12", ...SDI12 });
      world.scheduler.runFor(3);
      serial.set({ break: true });
      world.scheduler.after(12, () => serial.set({ break: false }));
      world.scheduler.runFor(50);
      deepEqual(world.peerLog.breaks, [{ active: true, at: 3 }, { active: false, at: 15 }]);
    },
  },
  {
    name: "received characters arrive through the IRQ line; one with a parity error is dropped and reported",
    run() {
      const world = bridgeWorld(1);
      world.peer.setFraming(SDI12);
      const received: number[] = [];
      const errors: string[] = [];
      const serial = world.open({
        port: "sdi12", ...SDI12,
        onReadable() { received.push(...(this.read() ?? [])); },
        onError(kind) { errors.push(kind); },
      });
      world.peer.send(ascii("0+1.5"));
      world.peer.send(ascii("X"), "parity");
      world.peer.send(ascii("\r\n"));
      world.scheduler.runFor(200);
      equal(text(received), "0+1.5\r\n");
      deepEqual(errors, ["parity"]);
      serial.close();
    },
  },
  {
    name: "Modbus 8E1 after a reframe: 200 bytes leave in FIFO-sized pieces, onWritable after the last stop bit",
    run() {
      const world = bridgeWorld(0);
      const framing = { baud: 9600, dataBits: 8, parity: "even", stopBits: 1 } as const;
      world.peer.setFraming(framing);
      const writableAt: number[] = [];
      const serial = world.open({ port: "rs485", baud: 9600, onWritable() { writableAt.push(world.scheduler.now); } });
      serial.set({ parity: "even" });
      world.scheduler.runFor(1);
      writableAt.length = 0;
      const frame = Uint8Array.from({ length: 200 }, (_, i) => (i * 31) & 0xff);
      serial.write(frame);
      world.scheduler.runFor(1000);
      deepEqual(Uint8Array.from(world.peerLog.bytes), frame);
      const idle = 1 + 200 * characterTimeMs(framing);
      equal(writableAt.length, 1);
      ok(writableAt[0] >= idle && writableAt[0] <= idle + 3 * characterTimeMs(framing), `onWritable at ${writableAt[0]}, line idle at ${idle}`);
    },
  },
  {
    name: "a baud rate the crystal cannot make, or a channel opened twice, is refused",
    run() {
      throws(() => divisorFor({ baud: 1_234_567, dataBits: 8, parity: "none", stopBits: 1 }, 14_745_600), /cannot make this baud rate/);
      equal(divisorFor({ baud: 115200, dataBits: 8, parity: "none", stopBits: 1 }, 14_745_600), 8);
      const world = bridgeWorld(0);
      world.open({ port: "rs485", baud: 9600 });
      throws(() => world.open({ port: "rs485", baud: 9600 }), /channel 0 in use/);
    },
  },
];
