/**
 * Serial drivers in the simulator: wall-clock cost of one SDI-12 measurement and one Modbus read
 * (virtual time runs as fast as the events allow), and decoder throughput on valid frames.
 */
import { HealthCounters } from "../modules/health/counters.js";
import { ModbusMaster } from "../drivers/modbus/master.js";
import { decodeResponse, encodeResponse } from "../drivers/modbus/frames.js";
import { appendSdi12Crc } from "../drivers/sdi12/crc.js";
import { Sdi12Recorder } from "../drivers/sdi12/recorder.js";
import { parseDataResponse } from "../drivers/sdi12/responses.js";
import { SimBoard } from "../hosts/sim/board.js";
import { ModbusMeterPeer } from "../hosts/sim/peers/modbus-meter.js";
import { levelSensor, soilProbe } from "../hosts/sim/peers/sdi12-probes.js";

function timed(run: () => number): { perOpMs: number; virtualMsPerOp: number } {
  const start = performance.now();
  const operations = 200;
  let virtual = 0;
  for (let i = 0; i < operations; i++) virtual += run();
  return { perOpMs: Number(((performance.now() - start) / operations).toFixed(4)), virtualMsPerOp: Math.round(virtual / operations) };
}

export default async function serial(): Promise<Record<string, unknown>> {
  const sdi12Board = new SimBoard({ seed: 1 });
  soilProbe(sdi12Board.attach("sdi12", "probe"), { measurementSeconds: 1, readyMs: 600 });
  levelSensor(sdi12Board.attach("sdi12", "level"));
  let recorder!: Sdi12Recorder;
  sdi12Board.start((platform) => { recorder = new Sdi12Recorder(platform, new HealthCounters()); });
  const sdi12 = timed(() => {
    const start = sdi12Board.scheduler.now;
    let done = false;
    recorder.measure({ address: "0", kind: "M", crc: true }, () => { done = true; });
    while (!done && sdi12Board.scheduler.step()) { /* run */ }
    return sdi12Board.scheduler.now - start;
  });

  const modbusBoard = new SimBoard({ seed: 1 });
  new ModbusMeterPeer(modbusBoard.attach("rs485", "meter"));
  let master!: ModbusMaster;
  modbusBoard.start((platform) => { master = new ModbusMaster(platform, new HealthCounters()); });
  const modbus = timed(() => {
    const start = modbusBoard.scheduler.now;
    let done = false;
    master.readPoint({ unit: 1, function: 4, address: 0, type: "float32", order: "CDAB" }, () => { done = true; });
    while (!done && modbusBoard.scheduler.step()) { /* run */ }
    return modbusBoard.scheduler.now - start;
  });

  const line = appendSdi12Crc("0+1.234-4.56+12354-0.00045+2.223+145.5+7.7003+4328.8+9");
  const request = { unit: 1, function: 3, address: 0, count: 10 } as const;
  const frame = encodeResponse(request, { kind: "registers", registers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
  const decodes = 100_000;
  let start = performance.now();
  for (let i = 0; i < decodes; i++) parseDataResponse(line, "0", true, 75);
  const sdi12DecodesPerSecond = Math.round(decodes / ((performance.now() - start) / 1000));
  start = performance.now();
  for (let i = 0; i < decodes; i++) decodeResponse(frame, request);
  const modbusDecodesPerSecond = Math.round(decodes / ((performance.now() - start) / 1000));

  return {
    sdi12MeasurementWallMs: sdi12.perOpMs,
    sdi12MeasurementVirtualMs: sdi12.virtualMsPerOp,
    modbusReadWallMs: modbus.perOpMs,
    modbusReadVirtualMs: modbus.virtualMsPerOp,
    sdi12DecodesPerSecond,
    modbusDecodesPerSecond,
  };
}
