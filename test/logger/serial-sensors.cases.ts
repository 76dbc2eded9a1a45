/**
 * The owner of the serial buses at run time: the console's SDI-12 scan runs between
 * measurements (and opens the bus only for itself when no channel holds it), port settings reach
 * the running Modbus and RS232 drivers without a reboot, and the buses close with their last channel.
 */
import type { SensorPortConfig } from "../../modules/config/device-config.js";
import type { Answer, Sdi12Sensor } from "../../modules/console/services.js";
import type { SerialPortName } from "../../modules/platform/io.js";
import type { Platform } from "../../modules/platform/platform.js";
import { SampleFlag, SensorFault } from "../../modules/records/sample.js";
import type { SimBoard } from "../../hosts/sim/board.js";
import { ModbusMeterPeer, METER_INPUTS } from "../../hosts/sim/peers/modbus-meter.js";
import { LineSensorPeer } from "../../hosts/sim/peers/rs232-line-sensor.js";
import { levelSensor, soilProbe } from "../../hosts/sim/peers/sdi12-probes.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { newBoard } from "../sampling/sampling-harness.js";
import { MINUTE, sdi12DataAnswers, startSerialSampling } from "../sampling/serial-harness.js";

const RS485: SensorPortConfig = { baud: 9600, dataBits: 8, parity: "even", stopBits: 1, timeoutMs: 300 };
const RS232: SensorPortConfig = { baud: 9600, dataBits: 8, parity: "none", stopBits: 1, timeoutMs: 1000 };

/** Whether the firmware could open `port` itself now, i.e. no driver holds it. */
function portFree(platform: Platform, port: SerialPortName): boolean {
  try {
    new platform.io.Serial({ port, baud: 9600 }).close();
    return true;
  } catch {
    return false;
  }
}

function scanOn(board: SimBoard, scan: (done: (answer: Answer<Sdi12Sensor[]>) => void) => void): { answer: () => Answer<Sdi12Sensor[]> | undefined; endedAt: () => number } {
  let answer: Answer<Sdi12Sensor[]> | undefined;
  let endedAt = NaN;
  scan((result) => {
    answer = result;
    endedAt = board.scheduler.now;
  });
  return { answer: () => answer, endedAt: () => endedAt };
}

const PROBES_FOUND: Sdi12Sensor[] = [
  { address: "0", identification: "TERRASIM SP3 1.2 SN00042 (SDI-12 1.4)" },
  { address: "1", identification: "HYDROSIM LV100 3.0 (SDI-12 1.3)" },
];

export const cases: TestCase[] = [
  {
    name: "sdi12 scan runs between measurements on the shared bus and names each sensor",
    run() {
      const board = newBoard("scan-shared");
      const soil = soilProbe(board.attach("sdi12", "soil"));
      levelSensor(board.attach("sdi12", "level"));
      const run = startSerialSampling(board, [
        { kind: "serial", name: "soil", port: "sdi12", protocol: "sdi12", address: "0", command: "M", intervalS: 60, timeoutMs: 10_000,
          values: [{ index: 1, id: 11 }] },
      ]);
      board.scheduler.runFor(MINUTE - 100);
      const scan = scanOn(board, (done) => run.serial.sdi12Scan(done));
      board.scheduler.runFor(MINUTE);
      deepEqual(scan.answer(), { ok: true, value: PROBES_FOUND });
      ok(scan.endedAt() - (MINUTE - 100) < 30_000, `a whole scan fits the console's wait: ${scan.endedAt()}`);
      const answers = sdi12DataAnswers(soil);
      deepEqual(run.logged(11), [[MINUTE, answers[0][1], 0]], "the measurement due during the scan was taken and logged");
      const dataAt = soil.events.find((e) => e.kind === "answer" && e.text.startsWith("0+"))!.at;
      ok(dataAt < scan.endedAt() - 1000, `the measurement ran between the scan's probes (data at ${dataAt}, scan ended ${scan.endedAt()})`);
      ok(!portFree(run.platform, "sdi12"), "the channel still holds the bus");
    },
  },
  {
    name: "with no SDI-12 channel, the scan opens the bus for itself and closes it after",
    run() {
      const board = newBoard("scan-alone");
      soilProbe(board.attach("sdi12", "soil"), { address: "7" });
      const run = startSerialSampling(board, []);
      ok(portFree(run.platform, "sdi12"));
      const scan = scanOn(board, (done) => run.serial.sdi12Scan(done));
      ok(!portFree(run.platform, "sdi12"), "the scan holds the bus");
      board.scheduler.runFor(MINUTE);
      deepEqual(scan.answer(), { ok: true, value: [{ address: "7", identification: PROBES_FOUND[0].identification }] });
      ok(portFree(run.platform, "sdi12"), "closed after the scan");
    },
  },
  {
    name: "an RS485 port change reaches the running Modbus master; one it cannot take is refused and changes nothing",
    run() {
      const board = newBoard("port-rs485");
      const meterTap = board.attach("rs485", "meter");
      const meter = new ModbusMeterPeer(meterTap, { unit: 3 });
      const run = startSerialSampling(board, [
        { kind: "serial", name: "volts", port: "rs485", protocol: "modbus", address: "port", command: "read-input",
          options: { type: "float32", order: "CDAB" }, intervalS: 60, values: [{ index: METER_INPUTS.voltage, id: 40 }] },
      ], { rs485: { ...RS485, address: 3 }, rs232: RS232 });
      board.scheduler.runFor(MINUTE + 30_000);
      deepEqual(run.serial.applyPort("rs485", { ...RS485, address: 3, baud: 19_200 }), { ok: true });
      board.scheduler.runFor(MINUTE);
      meterTap.setFraming({ baud: 19_200 });
      board.scheduler.runFor(MINUTE);
      deepEqual(run.serial.applyPort("rs485", { ...RS485, address: 3, baud: 19_200, dataBits: 7 }),
        { ok: false, error: "Modbus RTU needs 8 data bits" });
      ok(board.traceLog.includes("serial: rs485 kept its settings: Modbus RTU needs 8 data bits"), board.traceLog.join("\n"));
      board.scheduler.runFor(MINUTE);
      const volts = run.logged(40);
      deepEqual(volts.map((s) => s[2]), [0, SampleFlag.Fault, 0, 0], "9600, 19200 with the meter at 9600, 19200 on both, a refused change");
      equal(volts[1][1], SensorFault.Timeout, "the meter cannot hear a request at the other baud");
      for (const i of [0, 2, 3]) ok(Math.abs(volts[i][1] - meter.readings(volts[i][0]).voltage) < 1e-3, `reading ${i}`);
      deepEqual(run.serial.applyPort("rs485", { ...RS485, address: 4, baud: 19_200 }), { ok: true });
      board.scheduler.runFor(MINUTE);
      equal(run.logged(40)[4][1], SensorFault.Timeout, "a channel addressed \"port\" now asks unit 4, which nobody is");
    },
  },
  {
    name: "an RS232 port change reaches the running line sensor",
    run() {
      const board = newBoard("port-rs232");
      const tap = board.attach("rs232", "air");
      const air = new LineSensorPeer(tap, { prompt: "READ\r\n" });
      const run = startSerialSampling(board, [
        { kind: "serial", name: "air", port: "rs232", protocol: "ascii", command: "READ\r\n", options: { delimiter: ",", prefix: "$TEMP," },
          intervalS: 60, values: [{ index: 1, id: 50 }] },
      ], { rs485: RS485, rs232: RS232 });
      board.scheduler.runFor(MINUTE + 30_000);
      deepEqual(run.serial.applyPort("rs232", { ...RS232, baud: 4800, dataBits: 7, parity: "even" }), { ok: true });
      tap.setFraming({ baud: 4800, dataBits: 7, parity: "even" });
      board.scheduler.runFor(MINUTE);
      const temperatures = air.events.filter((e) => e.kind === "line").map((e) => (e.kind === "line" ? Number(e.text.split(",")[1]) : NaN));
      deepEqual(run.logged(50).map((s) => [s[1], s[2]]), temperatures.map((t) => [t, 0]));
      equal(temperatures.length, 2);
    },
  },
  {
    name: "the buses close with the last channel on them when sampling stops",
    run() {
      const board = newBoard("buses-close");
      const run = startSerialSampling(board, [
        { kind: "serial", name: "a", port: "sdi12", protocol: "sdi12", address: "0", command: "M", intervalS: 60, values: [{ index: 0, id: 1 }] },
        { kind: "serial", name: "b", port: "sdi12", protocol: "sdi12", address: "1", command: "M", intervalS: 60, values: [{ index: 0, id: 2 }] },
        { kind: "serial", name: "c", port: "rs485", protocol: "modbus", address: "1", command: "read-input", options: { type: "int16" },
          intervalS: 60, values: [{ index: 0, id: 3 }] },
        { kind: "serial", name: "d", port: "rs232", protocol: "ascii", options: { delimiter: "," }, intervalS: 60, values: [{ index: 0, id: 4 }] },
      ]);
      const ports: SerialPortName[] = ["sdi12", "rs485", "rs232"];
      deepEqual(ports.map((port) => portFree(run.platform, port)), [false, false, false]);
      throws(() => new run.platform.io.Digital({ pin: run.platform.pins.rs485DriverEnable, mode: 8 }), /in use/);
      run.engine.stop();
      deepEqual(ports.map((port) => portFree(run.platform, port)), [true, true, true]);
    },
  },
];
