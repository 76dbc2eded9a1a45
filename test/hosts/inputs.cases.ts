/**
 * The boards' PulseCount from a Digital edge interrupt, and their HealthSensors (battery divider,
 * SHT4x over I2C), on the simulated board's pins and timers.
 */
import { BoardHealth, CLIMATE_PERIOD_MS, decodeSht4x, sensirionCrc, SHT4X_CONVERSION_MS } from "../../hosts/moddable/board-health.js";
import { EdgePulseCount } from "../../hosts/moddable/edge-pulse-count.js";
import type { I2cBus } from "../../hosts/moddable/sc16is7xx.js";
import { SimBoard } from "../../hosts/sim/board.js";
import type { AnalogIO } from "../../modules/platform/io.js";
import type { Platform } from "../../modules/platform/platform.js";
import type { TestCase } from "../support/cases.js";
import { equal, ok, throws } from "../support/assert.js";

function bootedBoard(): { board: SimBoard; platform: Platform } {
  const board = new SimBoard({ seed: "hosts" });
  let booted: Platform | undefined;
  board.start((platform) => { booted = platform; });
  if (!booted) throw new Error("no boot");
  return { board, platform: booted };
}

/** A contact closing (falling edge) `bounces` times 1 ms apart, then staying closed for 50 ms. */
function press(board: SimBoard, pin: number, at: number, bounces: number): void {
  for (let i = 0; i < bounces; i++) {
    board.scheduler.at(at + i, () => board.pins.drive(pin, 0));
    board.scheduler.at(at + i + 0.5, () => board.pins.drive(pin, 1));
  }
  board.scheduler.at(at + bounces, () => board.pins.drive(pin, 0));
  board.scheduler.at(at + bounces + 50, () => board.pins.drive(pin, 1));
}

/** An SHT4x: answers a measure command with T and RH words, each with its CRC. */
class FakeSht4x implements I2cBus {
  rawT = 0x6666;
  rawRh = 0x8000;
  commands: number[] = [];
  present = true;
  write(bytes: Uint8Array): void {
    if (!this.present) throw new Error("i2c: no ack");
    this.commands.push(bytes[0]);
  }
  read(count: number): ArrayBuffer {
    if (!this.present) throw new Error("i2c: no ack");
    const t = [this.rawT >> 8, this.rawT & 0xff];
    const rh = [this.rawRh >> 8, this.rawRh & 0xff];
    return Uint8Array.from([...t, sensirionCrc(t[0], t[1]), ...rh, sensirionCrc(rh[0], rh[1])]).slice(0, count).buffer;
  }
}

export const cases: TestCase[] = [
  {
    name: "edge counter: each falling edge counts; bounce within the hold-off does not; write sets the base",
    run() {
      const { board, platform } = bootedBoard();
      const pin = platform.pins.pulse[0];
      board.pins.drive(pin, 1);
      let readable = 0;
      const counter = new EdgePulseCount(platform.io.Digital, () => platform.clock.monotonic(), {
        signal: pin,
        filter: 20_000_000,
        onReadable() { readable++; },
      });
      press(board, pin, 100, 4);
      press(board, pin, 300, 1);
      press(board, pin, 500, 6);
      board.scheduler.runFor(1000);
      equal(counter.read(), 3);
      equal(readable, 3);
      counter.write(100);
      press(board, pin, 1200, 1);
      board.scheduler.runFor(1000);
      equal(counter.read(), 101);
      counter.close();
      throws(() => counter.read(), /closed/);
      // The pin is free again once closed.
      new EdgePulseCount(platform.io.Digital, () => platform.clock.monotonic(), { signal: pin }).close();
    },
  },
  {
    name: "edge counter without a hold-off counts every edge, bounce included",
    run() {
      const { board, platform } = bootedBoard();
      const pin = platform.pins.pulse[1];
      board.pins.drive(pin, 1);
      const counter = new EdgePulseCount(platform.io.Digital, () => platform.clock.monotonic(), { signal: pin });
      press(board, pin, 100, 3);
      board.scheduler.runFor(500);
      equal(counter.read(), 4);
    },
  },
  {
    name: "SHT4x answers decode with Sensirion's CRC; a corrupted word is refused",
    run() {
      equal(sensirionCrc(0xbe, 0xef), 0x92);
      const sensor = new FakeSht4x();
      const reading = decodeSht4x(new Uint8Array(sensor.read(6)));
      ok(reading, "decoded");
      ok(Math.abs(reading.temperatureC - 25) < 0.01, `T ${reading.temperatureC}`);
      ok(Math.abs(reading.humidityPct - 56.5) < 0.01, `RH ${reading.humidityPct}`);
      const corrupt = new Uint8Array(sensor.read(6));
      corrupt[4] ^= 1;
      equal(decodeSht4x(corrupt), undefined);
    },
  },
  {
    name: "health: battery through the divider, climate every minute, NaN while the sensor is missing",
    run() {
      const { board, platform } = bootedBoard();
      const sensor = new FakeSht4x();
      const battery: AnalogIO = { resolution: 12, read: () => 3000, close: () => undefined };
      const health = new BoardHealth({ battery, adcFullScaleVolts: 2.45, batteryDivider: 2, climate: sensor, timers: platform.timers });
      ok(Math.abs(health.batteryVolts() - (3000 / 4095) * 2.45 * 2) < 1e-9, "battery volts");
      ok(Number.isNaN(health.internalTemperature()), "no reading before the conversion time");
      board.scheduler.runFor(SHT4X_CONVERSION_MS);
      ok(Math.abs(health.internalTemperature() - 25) < 0.01, "first reading");
      sensor.present = false;
      board.scheduler.runFor(CLIMATE_PERIOD_MS);
      ok(Number.isNaN(health.internalHumidity()), "NaN once the sensor stops answering");
      sensor.present = true;
      sensor.rawT = 0x8000;
      board.scheduler.runFor(CLIMATE_PERIOD_MS);
      ok(Math.abs(health.internalTemperature() - (-45 + (175 * 0x8000) / 65535)) < 1e-9, "new reading");
      equal(sensor.commands.filter((c) => c === 0xfd).length, 2);
    },
  },
];
