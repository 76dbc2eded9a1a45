/** The Modbus RTU master against the simulated energy meter: functions, timing, exceptions, faults. */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { SampleFlag, SensorFault } from "../../modules/records/sample.js";
import type { ModbusReply } from "../../drivers/modbus/frames.js";
import { modbusSilence } from "../../drivers/modbus/timing.js";
import type { ModbusPoint } from "../../drivers/modbus/values.js";
import { type MeasureResult, type Outcome, measurementSamples } from "../../drivers/serial-port/measure-result.js";
import { METER_HOLDINGS, METER_INPUTS, type ModbusFaults, type ModbusPeerEvent } from "../../hosts/sim/peers/modbus-meter.js";
import { type ModbusBench, modbusBench } from "./harness.js";

const float = (address: number): ModbusPoint => ({ unit: 1, function: 4, address, type: "float32", order: "CDAB" });
const CHARACTER_MS = (11 * 1000) / 9600;
const T35 = modbusSilence({ baud: 9600, dataBits: 8, parity: "even", stopBits: 1 }).t35Ms;

function read(bench: ModbusBench, point: ModbusPoint): Outcome<number> {
  return bench.complete<Outcome<number>>((done) => bench.master.readPoint(point, done));
}

function valueOf(outcome: Outcome<number>): number {
  if (!outcome.ok) throw new Error(`fault ${outcome.fault}: ${outcome.detail}`);
  return outcome.value;
}

type Request = Extract<ModbusPeerEvent, { kind: "request" }>;
type Answer = Extract<ModbusPeerEvent, { kind: "answer" }>;

export const cases: TestCase[] = [
  {
    name: "function 04: float32 CDAB input registers read as the meter's voltage, current, power, frequency",
    run() {
      const bench = modbusBench();
      const now = () => bench.meter.readings(bench.board.scheduler.now);
      ok(Math.abs(valueOf(read(bench, float(METER_INPUTS.voltage))) - now().voltage) < 1e-3);
      const result = bench.complete<MeasureResult>((done) => bench.master.measure(
        [float(METER_INPUTS.current), float(METER_INPUTS.activePower), float(METER_INPUTS.frequency)], done));
      ok(result.ok);
      ok(Math.abs(result.value[0] - now().current) < 1e-4 && Math.abs(result.value[2] - 50.01) < 1e-4);
      ok(Math.abs(result.value[1] - now().activePower) / now().activePower < 1e-3);
      equal(bench.meter.events.filter((e) => e.kind === "request").length, 4);
    },
  },
  {
    name: "function 03: holding registers as uint16 and uint32 CDAB, with scale and offset",
    run() {
      const bench = modbusBench();
      equal(valueOf(read(bench, { unit: 1, function: 3, address: METER_HOLDINGS.ctRatio, type: "uint16", order: "ABCD" })), 100);
      equal(valueOf(read(bench, { unit: 1, function: 3, address: METER_HOLDINGS.serial, type: "uint32", order: "CDAB" })), 20_260_042);
      equal(valueOf(read(bench, { unit: 1, function: 3, address: METER_HOLDINGS.ctRatio, type: "int16", order: "ABCD", scale: 0.5, offset: 3 })), 53);
    },
  },
  {
    name: "functions 06 and 16 write holding registers, and the writes read back",
    run() {
      const bench = modbusBench();
      deepEqual(bench.complete<Outcome<number>>((done) => bench.master.writeRegisters(1, METER_HOLDINGS.ctRatio, [250], done)), { ok: true, value: 1 });
      equal(bench.meter.holding.get(METER_HOLDINGS.ctRatio), 250);
      const serial = { unit: 1, function: 3, address: METER_HOLDINGS.serial, type: "uint32", order: "CDAB" } as const;
      deepEqual(bench.complete<Outcome<number>>((done) => bench.master.writePoint(serial, 7_654_321, done)), { ok: true, value: 2 });
      equal(valueOf(read(bench, serial)), 7_654_321);
      const functions = bench.meter.events.filter((e): e is Request => e.kind === "request").map((e) => e.bytes[1]);
      deepEqual(functions, [6, 16, 3]);
    },
  },
  {
    name: "exception responses are reported with their codes as sensor errors, without retries",
    run() {
      const bench = modbusBench();
      const missing = read(bench, float(200));
      ok(!missing.ok && missing.fault === SensorFault.SensorError && missing.code === 2 && /illegal data address/.test(missing.detail));
      const readOnly = bench.complete<Outcome<number>>((done) => bench.master.writeRegisters(1, 500, [1], done));
      ok(!readOnly.ok && readOnly.code === 2);
      bench.meter.inject({ exception: 4 }, 1);
      const failed = read(bench, float(0));
      ok(!failed.ok && failed.code === 4 && /server device failure/.test(failed.detail));
      bench.meter.inject({ exception: 6 }, 1);
      const raw = bench.complete<Outcome<ModbusReply>>((done) => bench.master.request({ unit: 1, function: 4, address: 0, count: 2 }, done));
      ok(!raw.ok && raw.code === 6);
      equal(bench.counters.get("modbus.retry"), 0);
      equal(bench.counters.get("modbus.fault.sensor_error"), 4);
    },
  },
  {
    name: "the driver-enable line is asserted for exactly the request and released before the answer starts",
    run() {
      const bench = modbusBench();
      read(bench, float(0));
      read(bench, float(2));
      const requests = bench.meter.events.filter((e): e is Request => e.kind === "request");
      const answers = bench.meter.events.filter((e): e is Answer => e.kind === "answer");
      deepEqual(bench.driverEnable[0], [0, 0], "released from the start");
      const edges = bench.driverEnable.slice(1);
      equal(edges.length, 4);
      requests.forEach((request, i) => {
        const [onAt, on] = edges[2 * i];
        const [offAt, off] = edges[2 * i + 1];
        equal(on, 1);
        equal(off, 0);
        ok(onAt <= request.at + 1e-9, "asserted before the first start bit");
        ok(offAt >= request.at + 8 * CHARACTER_MS - 1e-9, "held until the last stop bit has left");
        ok(offAt - (request.at + 8 * CHARACTER_MS) < 1, "released within a millisecond");
        ok(offAt < answers[i].at, "released before the meter answers");
      });
    },
  },
  {
    name: "frames are separated by at least 3.5 characters of silence at the configured baud",
    run() {
      for (const baud of [9600, 19200]) {
        const bench = modbusBench({ master: { baud }, meter: { framing: { baud, dataBits: 8, parity: "even", stopBits: 1 }, turnaroundMs: 5 } });
        for (let i = 0; i < 3; i++) read(bench, float(2 * i));
        const character = (11 * 1000) / baud;
        const t35 = 3.5 * character;
        const events = bench.meter.events;
        for (let i = 1; i < events.length; i++) {
          const previous = events[i - 1];
          const previousEnd = previous.kind === "request" ? previous.endsAt : previous.at + previous.bytes.length * character;
          const start = events[i].at;
          ok(start - previousEnd >= t35 - 1e-9, `${baud} baud: gap ${start - previousEnd} ms before event ${i}`);
        }
      }
    },
  },
  {
    name: "a request waits for 3.5 characters of silence while a late answer is still on the line",
    run() {
      const bench = modbusBench({ master: { responseTimeoutMs: 100, retries: 0 } });
      bench.meter.inject({ lateMs: 105 }, 1);
      const missed = read(bench, float(0));
      ok(!missed.ok && missed.fault === SensorFault.Timeout);
      bench.board.scheduler.runFor(8);
      const late = bench.meter.events.find((e): e is Answer => e.kind === "answer")!;
      ok(bench.board.scheduler.now > late.at + CHARACTER_MS && bench.board.scheduler.now < late.at + 9 * CHARACTER_MS, "mid-answer");
      const next = read(bench, float(2));
      ok(next.ok, JSON.stringify(next));
      const second = bench.meter.events.filter((e): e is Request => e.kind === "request")[1];
      ok(second.at - (late.at + 9 * CHARACTER_MS) >= T35 - 1e-9, `${second.at - (late.at + 9 * CHARACTER_MS)} ms after the late answer`);
      equal(bench.board.buses.rs485.collisions, 0);
      ok(bench.counters.get("modbus.stray_bytes") >= 9);
    },
  },
  {
    name: "baud rate and framing change at run time; a bad change is refused whole",
    run() {
      const bench = modbusBench();
      ok(read(bench, float(0)).ok);
      const refused = bench.master.reconfigure({ baud: 12345, parity: "none" });
      ok(!refused.ok && /baud/.test(refused.error));
      equal(bench.master.settings.parity, "even");
      ok(!bench.master.reconfigure({ dataBits: 7 }).ok);
      ok(!bench.master.reconfigure({ responseTimeoutMs: 1 }).ok);
      deepEqual(bench.master.reconfigure({ baud: 19200, parity: "none", stopBits: 2, responseTimeoutMs: 100 }), { ok: true });
      const mismatch = read(bench, float(0));
      ok(!mismatch.ok, "the meter still runs 9600 8E1: no value across a framing mismatch");
      bench.board.buses.rs485.taps[1].setFraming({ baud: 19200, parity: "none", stopBits: 2 });
      ok(read(bench, float(0)).ok, "both at 19200 8N2");
      equal(bench.master.settings.baud, 19200);
    },
  },
  {
    name: "a meter on another unit number, or none, times out after the retries",
    run() {
      const bench = modbusBench({ master: { responseTimeoutMs: 50, retries: 2 } });
      const outcome = read(bench, { ...float(0), unit: 7 });
      ok(!outcome.ok && outcome.fault === SensorFault.Timeout, JSON.stringify(outcome));
      equal(bench.counters.get("modbus.retry"), 2);
      equal(bench.meter.events.filter((e) => e.kind === "request").length, 3);
      ok(bench.board.scheduler.now < 3 * (50 + 20), "each try waits the response timeout");
    },
  },
  ...([
    [{ silent: true }, SensorFault.Timeout],
    [{ lateMs: 400 }, SensorFault.Timeout],
    [{ garbage: true }, SensorFault.BadResponse],
    [{ parityErrors: true }, SensorFault.BadResponse],
    [{ wrongCrc: true }, SensorFault.BadResponse],
    [{ truncateAfter: 5 }, SensorFault.BadResponse],
    [{ answerFor: 9 }, SensorFault.BadResponse],
  ] as Array<[ModbusFaults, number]>).map(([fault, expected]): TestCase => ({
    name: `a meter answering with ${JSON.stringify(fault)} gives fault ${expected} and a counter, never a value`,
    run() {
      const bench = modbusBench({ master: { responseTimeoutMs: 100 } });
      bench.meter.inject(fault);
      const point = "answerFor" in fault ? { ...float(0), unit: 9 } : float(0);
      const result = bench.complete<MeasureResult>((done) => bench.master.measure([point], done));
      ok(!result.ok && result.fault === expected, JSON.stringify(result));
      equal(bench.counters.get("modbus.retry"), 2);
      equal(bench.counters.get(`modbus.fault.${expected === SensorFault.Timeout ? "timeout" : "bad_response"}`), 1);
      const samples = measurementSamples(result, [3], 0, 0);
      equal(samples[0].flags & SampleFlag.Fault, SampleFlag.Fault);
      equal(bench.board.crashes.length, 0);
      bench.board.scheduler.runFor(2000);
      if ("lateMs" in fault) ok(bench.counters.get("modbus.stray_bytes") >= 9, "late answers are counted as stray bytes");
      bench.meter.inject({});
      ok(read(bench, float(0)).ok, "the next reading works");
    },
  })),
  {
    name: "one bad answer is survived by a retry; a late answer running into the retry's answer is not read",
    run() {
      const bench = modbusBench();
      bench.meter.inject({ wrongCrc: true }, 1);
      ok(Math.abs(valueOf(read(bench, float(0))) - bench.meter.readings(bench.board.scheduler.now).voltage) < 1e-3);
      equal(bench.counters.get("modbus.retry"), 1);
      bench.meter.inject({ lateMs: 320 }, 1);
      ok(Math.abs(valueOf(read(bench, float(2))) - bench.meter.readings(bench.board.scheduler.now).current) < 1e-4);
      equal(bench.counters.get("modbus.retry"), 3, "a timeout, then the late answer and the retry's answer as one 18-byte frame");
      const answers = bench.meter.events.filter((e) => e.kind === "answer");
      equal(answers.length, 5, "2 for the first reading, 3 for the second");
    },
  },
  {
    name: "a bus held in a break is a bus fault; released, the meter is read again",
    run() {
      const bench = modbusBench({ master: { responseTimeoutMs: 50 } });
      bench.meter.holdBusLow(true);
      const held = read(bench, float(0));
      ok(!held.ok && held.fault === SensorFault.BusFault, JSON.stringify(held));
      bench.meter.holdBusLow(false);
      ok(read(bench, float(0)).ok);
    },
  },
  {
    name: "bad points and requests fail at once, before the bus",
    run() {
      const bench = modbusBench();
      const bad = read(bench, { ...float(0), type: "float64" as never });
      ok(!bad.ok && bad.fault === SensorFault.SensorError);
      const tooMany = bench.complete<Outcome<ModbusReply>>((done) => bench.master.request({ unit: 1, function: 3, address: 0, count: 200 }, done));
      ok(!tooMany.ok && tooMany.fault === SensorFault.SensorError);
      equal(bench.meter.events.length, 0);
    },
  },
];
