/**
 * Serial channels sampled by the engine through the real drivers, against simulated peers: values
 * picked from their positions in each answer, several SDI-12 sensors on one bus, Modbus register
 * maps, RS232 lines, and every failure logged as a fault for every value, never as a number.
 */
import { SensorFault, SampleFlag } from "../../modules/records/sample.js";
import { ModbusMeterPeer, METER_HOLDINGS, METER_INPUTS } from "../../hosts/sim/peers/modbus-meter.js";
import { LineSensorPeer } from "../../hosts/sim/peers/rs232-line-sensor.js";
import { levelSensor, soilProbe } from "../../hosts/sim/peers/sdi12-probes.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { newBoard } from "./sampling-harness.js";
import { MINUTE, sdi12DataAnswers, startSerialSampling } from "./serial-harness.js";

const minutes = (count: number) => Array.from({ length: count }, (_, i) => (i + 1) * MINUTE);
const faults = (code: number, count: number) => Array.from({ length: count }, () => [code, SampleFlag.Fault]);
const RS485_8E1 = { baud: 9600, dataBits: 8, parity: "even", stopBits: 1, timeoutMs: 300 } as const;
const RS232_8N1 = { baud: 9600, dataBits: 8, parity: "none", stopBits: 1, timeoutMs: 1000 } as const;

function sdi12Channel(name: string, address: string, command: string, values: unknown[], extra: Record<string, unknown> = {}) {
  return { kind: "serial", name, port: "sdi12", protocol: "sdi12", address, command, intervalS: 60, timeoutMs: 20_000, values, ...extra };
}

function meterChannel(name: string, address: string, command: string, options: Record<string, unknown>, values: unknown[]) {
  return { kind: "serial", name, port: "rs485", protocol: "modbus", address, command, options, intervalS: 60, values };
}

export const cases: TestCase[] = [
  {
    name: "two SDI-12 sensors on one bus: each value comes from its position in its own sensor's answer",
    run() {
      const board = newBoard("serial-two-sensors");
      const soil = soilProbe(board.attach("sdi12", "soil"));
      const level = levelSensor(board.attach("sdi12", "level"));
      const run = startSerialSampling(board, [
        sdi12Channel("soil", "0", "C", [{ index: 2, id: 12, decimals: 3 }, { index: 0, id: 10, decimals: 1 }], { options: { crc: true } }),
        sdi12Channel("level", "1", "M", [{ index: 0, id: 20, decimals: 4 }, { index: 1, id: 21, decimals: 2 }]),
      ]);
      board.scheduler.runFor(10 * MINUTE + 30_000);
      const soilAnswers = sdi12DataAnswers(soil, true);
      const levelAnswers = sdi12DataAnswers(level);
      equal(soilAnswers.length, 10);
      equal(levelAnswers.length, 10);
      deepEqual(run.logged(12), soilAnswers.map((values, i) => [minutes(10)[i], values[2], 0]));
      deepEqual(run.logged(10), soilAnswers.map((values, i) => [minutes(10)[i], values[0], 0]));
      deepEqual(run.logged(20), levelAnswers.map((values, i) => [minutes(10)[i], values[0], 0]));
      deepEqual(run.logged(21), levelAnswers.map((values, i) => [minutes(10)[i], values[1], 0]));
      ok(soil.events.some((e) => e.kind === "command" && e.text === "0CC!"), "the CRC option asks for aCC!");
      equal(board.buses.sdi12.collisions, 0, "the bus queue serialises the two sensors");
      equal(run.counters.get("sampling.fault_sample"), 0);
    },
  },
  {
    name: "an SDI-12 sensor that goes silent or babbles gives fault readings for every value, then recovers",
    run() {
      const board = newBoard("serial-sdi12-faults");
      const soil = soilProbe(board.attach("sdi12", "soil"));
      const run = startSerialSampling(board, [
        sdi12Channel("soil", "0", "M", [{ index: 0, id: 10 }, { index: 1, id: 11 }, { index: 7, id: 17 }]),
      ]);
      board.scheduler.at(2.5 * MINUTE, () => soil.inject({ silent: true }));
      board.scheduler.at(3.5 * MINUTE, () => soil.inject({ garbage: true }));
      board.scheduler.at(4.5 * MINUTE, () => soil.inject({}, 0));
      board.scheduler.runFor(6 * MINUTE + 30_000);
      const answers = sdi12DataAnswers(soil);
      equal(answers.length, 4, "slots 1, 2, 5 and 6 were answered");
      const good = (index: number) => answers.map((values) => [values[index], 0]);
      const timeline = (slot: (answer: number) => unknown[]) => [slot(0), slot(1), ...faults(SensorFault.Timeout, 1),
        ...faults(SensorFault.BadResponse, 1), slot(2), slot(3)];
      deepEqual(run.logged(10).map((s) => [s[1], s[2]]), timeline((i) => good(0)[i]));
      deepEqual(run.logged(11).map((s) => [s[1], s[2]]), timeline((i) => good(1)[i]));
      deepEqual(run.logged(17).map((s) => [s[1], s[2]]), timeline(() => [SensorFault.BadResponse, SampleFlag.Fault]),
        "the probe answers three values: the eighth is never there");
      equal(run.counters.get("serial.missing_value"), 4);
      equal(run.counters.get("sdi12.fault.timeout"), 1);
      equal(run.counters.get("sdi12.fault.bad_response"), 1);
      equal(run.counters.get("sampling.fault_sample"), 4 + 3 + 3);
    },
  },
  {
    name: "a measurement that outlives its interval: the next reading is a bus fault at once, not a growing queue",
    run() {
      const board = newBoard("serial-busy");
      soilProbe(board.attach("sdi12", "soil"), { measurementSeconds: 100 });
      const run = startSerialSampling(board, [sdi12Channel("soil", "0", "M", [{ index: 0, id: 10 }], { timeoutMs: 10_000 })]);
      board.scheduler.runFor(4 * MINUTE + 50_000);
      deepEqual(run.logged(10).map((s) => s[1]), [SensorFault.Timeout, SensorFault.BusFault, SensorFault.Timeout, SensorFault.BusFault]);
      equal(run.counters.get("serial.busy"), 2);
      equal(run.counters.get("sampling.late_reading"), 2, "each 100 s measurement finished after the engine gave up on it");
    },
  },
  {
    name: "Modbus: register maps by unit, function, type and word order, scale and offset; an exception is a fault for every value",
    run() {
      const board = newBoard("serial-modbus");
      const meter = new ModbusMeterPeer(board.attach("rs485", "meter"), { unit: 7 });
      const run = startSerialSampling(board, [
        meterChannel("supply", "7", "read-input", { type: "float32", order: "CDAB" },
          [{ index: METER_INPUTS.voltage, id: 40 }, { index: METER_INPUTS.energy, id: 41 }, { index: METER_INPUTS.current, id: 42 }]),
        meterChannel("ct", "port", "read-holding", { type: "uint16", scale: 0.5, offset: 1 }, [{ index: METER_HOLDINGS.ctRatio, id: 43 }]),
        meterChannel("unmapped", "7", "read-input", { type: "float32", order: "CDAB" }, [{ index: 200, id: 44 }, { index: 0, id: 45 }]),
      ], { rs485: { ...RS485_8E1, address: 7 }, rs232: RS232_8N1 });
      board.scheduler.runFor(3 * MINUTE + 30_000);
      const near = (id: number, name: keyof typeof METER_INPUTS, tolerance: number) => {
        const samples = run.logged(id);
        equal(samples.length, 3, `channel ${id}`);
        for (const [t, value, flags] of samples) {
          equal(flags, 0, `channel ${id} at ${t}`);
          ok(Math.abs(value - meter.readings(t)[name]) < tolerance, `channel ${id} at ${t}: ${value} vs ${meter.readings(t)[name]}`);
        }
      };
      near(40, "voltage", 1e-3);
      near(41, "energy", 2e-3);
      near(42, "current", 1e-4);
      deepEqual(run.logged(43).map((s) => s[1]), [1, 2, 3].map(() => meter.holding.get(METER_HOLDINGS.ctRatio)! * 0.5 + 1));
      for (const id of [44, 45]) deepEqual(run.logged(id).map((s) => [s[1], s[2]]), faults(SensorFault.SensorError, 3));
      equal(run.counters.get("modbus.fault.sensor_error"), 3);
    },
  },
  {
    name: "RS232: a prompted sensor's field, a streaming sensor's pattern group, garbage as a fault; one ascii channel per port",
    run() {
      const board = newBoard("serial-ascii");
      const air = new LineSensorPeer(board.attach("rs232", "air"), { prompt: "READ\r\n" });
      const run = startSerialSampling(board, [
        { kind: "serial", name: "air", port: "rs232", protocol: "ascii", command: "READ\r\n", options: { delimiter: ",", prefix: "$TEMP," },
          intervalS: 60, values: [{ index: 1, id: 50 }] },
        { kind: "serial", name: "air-again", port: "rs232", protocol: "ascii", options: { pattern: "^\\$HUM,([0-9]+),%$" },
          intervalS: 60, values: [{ index: 1, id: 51 }] },
      ], { rs485: RS485_8E1, rs232: RS232_8N1 });
      deepEqual(run.engine.unsampled, ["air-again"]);
      board.scheduler.at(2.5 * MINUTE, () => air.inject({ garbage: true }, 2));
      board.scheduler.runFor(4 * MINUTE + 30_000);
      const temperatures = air.events.filter((e) => e.kind === "line" && !e.fault).map((e) => (e.kind === "line" ? Number(e.text.split(",")[1]) : 0));
      equal(temperatures.length, 3);
      deepEqual(run.logged(50).map((s) => [s[1], s[2]]), [[temperatures[0], 0], [temperatures[1], 0],
        [SensorFault.BadResponse, SampleFlag.Fault], [temperatures[2], 0]], "the garbled answer and its retry make one fault");
      equal(run.counters.get("ascii.fault.bad_response"), 1);

      const streaming = newBoard("serial-ascii-stream");
      const hum = new LineSensorPeer(streaming.attach("rs232", "hum"), { periodMs: 1000 });
      const stream = startSerialSampling(streaming, [
        { kind: "serial", name: "hum", port: "rs232", protocol: "ascii", options: { pattern: "^\\$HUM,([0-9]+),%$" }, intervalS: 60,
          values: [{ index: 1, id: 51 }] },
      ]);
      streaming.scheduler.runFor(3 * MINUTE + 30_000);
      const firstHumAfter = (t: number) => {
        const line = hum.events.find((e) => e.kind === "line" && e.at >= t && e.text.startsWith("$HUM"));
        return line?.kind === "line" ? Number(line.text.split(",")[1]) : NaN;
      };
      deepEqual(stream.logged(51), minutes(3).map((t) => [t, firstHumAfter(t), 0]));
    },
  },
];
