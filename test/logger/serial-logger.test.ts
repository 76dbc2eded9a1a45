/**
 * The whole logger, booted through modules/main.ts with its configuration in storage, samples
 * its serial sensors: the example configuration's SDI-12 soil probe for a simulated day (faults
 * included), and a Modbus meter and an RS232 sensor whose port a technician changes on the console.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SampleFlag, SensorFault } from "../../modules/records/sample.js";
import { ModbusMeterPeer, METER_INPUTS } from "../../hosts/sim/peers/modbus-meter.js";
import { LineSensorPeer } from "../../hosts/sim/peers/rs232-line-sensor.js";
import { attachExampleWorld, type ExampleWorld } from "../../hosts/sim/sources/example-world.js";
import { sdi12DataAnswers } from "../sampling/serial-harness.js";
import { bootConfigured, DAY_MS, deviceDocument, HOUR, MINUTE, newBoard, type ConfiguredLogger } from "./configured-logger.js";

const example: unknown = JSON.parse(readFileSync(new URL("../../examples/config/example.json", import.meta.url), "utf8"));

/** A value as the log holds it: rounded to the channel's decimals, stored as float32. */
const asLogged = (value: number, decimals: number) => Math.fround(Math.round(value * 10 ** decimals) / 10 ** decimals);

describe("the booted logger samples its serial sensors", function () {
  describe("a simulated day of the example configuration", () => {
    const board = newBoard("serial-example-day");
    let world: ExampleWorld;
    let run: ConfiguredLogger;
    const silent = { from: 6 * HOUR + 5 * MINUTE, to: 6 * HOUR + 50 * MINUTE };
    const garbage = { from: 12 * HOUR + 5 * MINUTE, to: 12 * HOUR + 20 * MINUTE };
    const faultAt = new Map([[6 * HOUR + 15 * MINUTE, SensorFault.Timeout], [6 * HOUR + 30 * MINUTE, SensorFault.Timeout],
      [6 * HOUR + 45 * MINUTE, SensorFault.Timeout], [12 * HOUR + 15 * MINUTE, SensorFault.BadResponse]]);
    const slots = Array.from({ length: 96 }, (_, i) => (i + 1) * 15 * MINUTE);

    before(() => {
      world = attachExampleWorld(board, "serial-example-day");
      run = bootConfigured(board, deviceDocument(example));
      board.scheduler.at(silent.from, () => world.soil.inject({ silent: true }));
      board.scheduler.at(garbage.from, () => world.soil.inject({ garbage: true }));
      for (const end of [silent.to, garbage.to]) board.scheduler.at(end, () => world.soil.inject({}, 0));
      board.scheduler.runFor(DAY_MS + MINUTE);
    });

    it("logs the soil probe's channels 10 and 11 every 15 minutes with the values the probe sent", () => {
      assert.deepEqual(run.logger().engine?.unsampled, []);
      const answers = sdi12DataAnswers(world.soil);
      assert.equal(answers.length, slots.length - faultAt.size, "one answer per slot without a fault");
      for (const [id, index] of [[10, 0], [11, 1]]) {
        let answer = 0;
        const expected = slots.map((t) => {
          const fault = faultAt.get(t);
          return fault === undefined ? { t, value: asLogged(answers[answer++][index], 1), flags: 0 } : { t, value: fault, flags: SampleFlag.Fault };
        });
        assert.deepEqual(run.logged(id).map((s) => ({ ...s, flags: s.flags & SampleFlag.Fault })), expected, `channel ${id}`);
      }
    });

    it("a silent or babbling probe gives fault records and counters, and the logger keeps running", () => {
      const counters = run.logger().counters;
      assert.equal(counters.get("sdi12.fault.timeout"), 3);
      assert.equal(counters.get("sdi12.fault.bad_response"), 1);
      assert.equal(counters.get("sdi12.measurements"), 96);
      assert.ok(counters.get("sdi12.retry") >= 4 * 8, "each failed measurement tried its command nine times");
      assert.ok(board.traceLog.some((line) => line.startsWith("serial: soil-probe: ")), "the failure is traced");
      assert.deepEqual(board.crashes, []);
      assert.equal(board.bootCount, 1);
      assert.equal(run.logged(4).length, 96, "the tank level's 15-minute mean went on all day");
    });
  });

  describe("a Modbus meter and an RS232 sensor in a test configuration", () => {
    const board = newBoard("serial-meter-air");
    const meterTap = board.attach("rs485", "meter");
    const meter = new ModbusMeterPeer(meterTap, { unit: 1 });
    const air = new LineSensorPeer(board.attach("rs232", "air"), { prompt: "READ\r\n" });
    const sampling = {
      channels: [
        { kind: "serial", name: "supply", port: "rs485", protocol: "modbus", address: "1", command: "read-input",
          options: { type: "float32", order: "CDAB" }, intervalS: 300, timeoutMs: 5000,
          values: [{ index: METER_INPUTS.voltage, id: 40, decimals: 2 }, { index: METER_INPUTS.frequency, id: 41, decimals: 2 }] },
        { kind: "serial", name: "air", port: "rs232", protocol: "ascii", command: "READ\r\n", options: { delimiter: ",", prefix: "$TEMP," },
          intervalS: 300, values: [{ index: 1, id: 50, decimals: 1 }] },
      ],
    };
    const ports = {
      rs485: { baud: 9600, dataBits: 8, parity: "even", stopBits: 1, address: 1, timeoutMs: 300 },
      rs232: { baud: 9600, dataBits: 8, parity: "none", stopBits: 1, timeoutMs: 1000 },
    };
    let run: ConfiguredLogger;
    const volts = () => run.logged(40);

    before(() => {
      run = bootConfigured(board, deviceDocument(sampling, ports));
      board.scheduler.runFor(HOUR + MINUTE);
    });

    it("samples both on schedule with the values the sensors gave", () => {
      const times = Array.from({ length: 12 }, (_, i) => (i + 1) * 5 * MINUTE);
      assert.deepEqual(volts().map((s) => s.t), times);
      for (const { t, value, flags } of volts()) {
        assert.equal(flags & SampleFlag.Fault, 0);
        assert.ok(Math.abs(value - asLogged(meter.readings(t).voltage, 2)) < 1e-3, `voltage at ${t}`);
      }
      assert.deepEqual(run.logged(41).map((s) => s.value), times.map((t) => asLogged(meter.readings(t).frequency, 2)));
      const lines = air.events.filter((e) => e.kind === "line").map((e) => (e.kind === "line" ? Number(e.text.split(",")[1]) : NaN));
      assert.deepEqual(run.logged(50).map((s) => [s.t, s.value]), times.map((t, i) => [t, asLogged(lines[i], 1)]));
    });

    it("a baud change on the console reaches the running meter driver: a fault until the meter follows, then readings", () => {
      assert.deepEqual(run.command("serial rs485 baud 19200"), ["ok: saved rs485: 19200 8E1 address 1 timeout 300 ms"]);
      board.scheduler.runFor(5 * MINUTE);
      const [mismatched] = volts().slice(-1);
      assert.deepEqual([mismatched.t, mismatched.value, mismatched.flags & SampleFlag.Fault], [13 * 5 * MINUTE, SensorFault.Timeout, SampleFlag.Fault]);
      meterTap.setFraming({ baud: 19_200 });
      board.scheduler.runFor(5 * MINUTE);
      const [matched] = volts().slice(-1);
      assert.equal(matched.flags & SampleFlag.Fault, 0);
      assert.ok(Math.abs(matched.value - meter.readings(matched.t).voltage) < 0.01);
      assert.ok(board.traceLog.includes("serial: rs485 now 19200 8E1 address 1 timeout 300 ms"));
    });

    it("the new baud is a configuration version: after a power cut the meter is read at 19200", () => {
      board.cutPower();
      board.powerOn();
      assert.equal(run.logger().store.config?.version, 2);
      assert.equal(run.logger().store.config?.sensorPorts.rs485.baud, 19_200);
      board.scheduler.runFor(5 * MINUTE);
      const [afterBoot] = volts().slice(-1);
      assert.equal(afterBoot.t, 15 * 5 * MINUTE);
      assert.equal(afterBoot.flags & SampleFlag.Fault, 0);
      assert.deepEqual(board.crashes, []);
    });
  });
});
