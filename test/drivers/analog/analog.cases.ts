/** The analog input driver against simulated 4-20 mA and 0-10 V sensors: scaling, NE 43 bands, faults. */
import { AnalogInput, type AnalogInputConfig } from "../../../drivers/analog/analog-input.js";
import { interpolate } from "../../../drivers/analog/calibration.js";
import { loopCurrentBand, NE43 } from "../../../drivers/analog/signal-bands.js";
import type { VoltageSignal } from "../../../modules/config/channels.js";
import type { Platform } from "../../../modules/platform/platform.js";
import { SampleFlag, SensorFault } from "../../../modules/records/sample.js";
import { SimBoard } from "../../../hosts/sim/board.js";
import { SeededRandom } from "../../../hosts/sim/seeded-random.js";
import { LevelTransmitter } from "../../../hosts/sim/sources/level-transmitter.js";
import { VoltageSensor } from "../../../hosts/sim/sources/voltage-sensor.js";
import { equal, ok } from "../../support/assert.js";
import { bootPlatform } from "../../sampling/sampling-harness.js";
import type { TestCase } from "../../support/cases.js";

const PIN = 32;
const SHUNT = 150;
/** One ADC code at the shunt, in mA: the resolution the driver can reach. */
const MA_PER_CODE = (3.3 / 4095 / SHUNT) * 1000;

function bootedBoard(seed: string): { board: SimBoard; platform: Platform } {
  const board = new SimBoard({ seed });
  return { board, platform: bootPlatform(board) };
}

function levelInput(platform: Platform, average: number): AnalogInput {
  const config: AnalogInputConfig = { pin: PIN, signal: { type: "current", shuntOhms: SHUNT }, scale: [[4, 0], [20, 5]], average };
  return new AnalogInput(platform.io.Analog, config, 3.3);
}

function transmitter(board: SimBoard, level: (t: number) => number, noiseMa = 0): LevelTransmitter {
  return new LevelTransmitter({
    pins: board.pins, pin: PIN, shuntOhms: SHUNT, rangeMin: 0, rangeMax: 5, level, noiseMa, random: new SeededRandom("tx"),
  });
}

const DIVIDER: VoltageSignal = {
  type: "voltage", topOhms: 22_000, bottomOhms: 6_800, lowVolts: 2, highVolts: 10, faultBelowVolts: 1, faultAboveVolts: 10.5,
};

function voltageInput(platform: Platform, signal: VoltageSignal): AnalogInput {
  return new AnalogInput(platform.io.Analog, { pin: 33, signal, scale: [[signal.lowVolts, 0], [signal.highVolts, 100]], average: 4 }, 3.3);
}

export const cases: TestCase[] = [
  {
    name: "NE 43 bands: valid, saturated, undefined and failure currents",
    run() {
      const band = (mA: number) => loopCurrentBand(mA);
      equal(band(0).fault, SensorFault.Underrange, "broken loop");
      equal(band(NE43.failureLowMa).fault, SensorFault.Underrange, "3.6 mA is a failure");
      equal(band(3.7).fault, 0, "3.7 mA is undefined, not a failure");
      ok(band(3.7).saturated, "3.7 mA is outside the measuring range");
      ok(band(3.9).saturated && !band(4).saturated && !band(20).saturated && band(20.3).saturated);
      equal(band(20.7).fault, 0);
      equal(band(NE43.failureHighMa).fault, SensorFault.Overrange, "21 mA is a failure");
    },
  },
  {
    name: "calibration points interpolate inside and extend outside",
    run() {
      const table = [[4, 0], [12, 3], [20, 4]] as const;
      equal(interpolate(table, 8), 1.5);
      equal(interpolate(table, 16), 3.5);
      equal(interpolate(table, 2), -0.75, "below the table: first segment extended");
      equal(interpolate(table, 21), 4.125, "above the table: last segment extended");
    },
  },
  {
    name: "a 4-20 mA level reads within the ADC's resolution, and averaging beats the noise",
    run() {
      const { board, platform } = bootedBoard("analog-1");
      const source = transmitter(board, (t) => 1 + t / 60_000, 0.02);
      const averaged = levelInput(platform, 32);
      let worst = 0;
      for (let minute = 0; minute < 3; minute++) {
        board.scheduler.runFor(60_000);
        const reading = averaged.measure();
        equal(reading.flags, 0);
        const truthMa = source.idealCurrentMa(board.scheduler.now);
        worst = Math.max(worst, Math.abs(reading.value - ((truthMa - 4) / 16) * 5));
      }
      // 32 readings of 0.02 mA noise: the mean is within 4 sigma/sqrt(32) plus one code.
      ok(worst <= ((4 * 0.02) / Math.sqrt(32) + MA_PER_CODE) * (5 / 16), `error ${worst} m`);
    },
  },
  {
    name: "loop break, a transmitter stuck at 3.5 mA and one failing at 22 mA are faults, never values",
    run() {
      const { board, platform } = bootedBoard("analog-2");
      const source = transmitter(board, () => 2.5);
      const input = levelInput(platform, 4);
      equal(input.measure().flags, 0);
      const expect = (fault: "loop-break" | "stuck-low" | "fail-high", code: number) => {
        source.inject(fault);
        const reading = input.measure();
        equal(reading.flags, SampleFlag.Fault, fault);
        equal(reading.value, code, fault);
      };
      expect("loop-break", SensorFault.Underrange);
      expect("stuck-low", SensorFault.Underrange);
      expect("fail-high", SensorFault.Overrange);
      source.inject(undefined);
      const back = input.measure();
      equal(back.flags, 0);
      ok(Math.abs(back.value - 2.5) < 0.01, `value after repair ${back.value}`);
    },
  },
  {
    name: "a level beyond the range saturates at 20.5 mA and is flagged saturated",
    run() {
      const { board, platform } = bootedBoard("analog-3");
      transmitter(board, () => 6);
      const reading = levelInput(platform, 2).measure();
      equal(reading.flags, SampleFlag.Saturated);
      ok(Math.abs(reading.value - (16.5 / 16) * 5) < 0.01, `saturated value ${reading.value}`);
    },
  },
  {
    name: "one faulty conversion among those averaged makes the sample a fault",
    run() {
      const { board, platform } = bootedBoard("analog-4");
      let conversions = 0;
      board.pins.connectAnalog(PIN, () => (++conversions === 3 ? 0 : 0.012 * SHUNT));
      const reading = levelInput(platform, 8).measure();
      equal(conversions, 8);
      equal(reading.flags, SampleFlag.Fault);
      equal(reading.value, SensorFault.Underrange);
    },
  },
  {
    name: "a 2-10 V sensor through a divider: value, saturation, wire break and over-range",
    run() {
      const { board, platform } = bootedBoard("analog-5");
      let volts = 6;
      const sensor = new VoltageSensor({
        pins: board.pins, pin: 33, topOhms: DIVIDER.topOhms, bottomOhms: DIVIDER.bottomOhms, output: () => volts, random: new SeededRandom("v"),
      });
      const input = voltageInput(platform, DIVIDER);
      const voltsPerCode = (3.3 / 4095) * ((DIVIDER.topOhms + DIVIDER.bottomOhms) / DIVIDER.bottomOhms);
      const reading = input.measure();
      equal(reading.flags, 0);
      ok(Math.abs(reading.value - 50) <= (voltsPerCode / 8) * 100, `6 V reads ${reading.value} %`);
      volts = 10.3;
      equal(input.measure().flags, SampleFlag.Saturated, "above the span, below the fault limit");
      sensor.inject("wire-break");
      const broken = input.measure();
      equal(broken.flags, SampleFlag.Fault);
      equal(broken.value, SensorFault.Underrange);
      sensor.inject("over-range");
      equal(input.measure().value, SensorFault.Overrange);
    },
  },
  {
    name: "an input beyond what the ADC can see (top code) is over range even inside the signal's limits",
    run() {
      const { board, platform } = bootedBoard("analog-6");
      // This divider reaches the ADC's 3.3 V at 10.58 V, short of the 11 V fault limit.
      const signal: VoltageSignal = { ...DIVIDER, topOhms: 15_000, bottomOhms: 6_800, faultAboveVolts: 11 };
      new VoltageSensor({ pins: board.pins, pin: 33, topOhms: 15_000, bottomOhms: 6_800, output: () => 10.7, random: new SeededRandom("v") });
      const reading = voltageInput(platform, signal).measure();
      equal(reading.flags, SampleFlag.Fault);
      equal(reading.value, SensorFault.Overrange);
    },
  },
  {
    name: "a plain 0-10 V sensor cannot show a broken wire: 0 V is a valid reading",
    run() {
      const { board, platform } = bootedBoard("analog-7");
      const sensor = new VoltageSensor({
        pins: board.pins, pin: 33, topOhms: DIVIDER.topOhms, bottomOhms: DIVIDER.bottomOhms, output: () => 5, random: new SeededRandom("v"),
      });
      const plain: VoltageSignal = { ...DIVIDER, lowVolts: 0, faultBelowVolts: -0.2 };
      const input = voltageInput(platform, plain);
      sensor.inject("wire-break");
      const reading = input.measure();
      equal(reading.flags, 0);
      equal(reading.value, 0);
    },
  },
];
