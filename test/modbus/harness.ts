/** A simulated board with the energy meter (unit 1) on its RS485 bus and a Modbus master; Node-free. */
import { HealthCounters } from "../../modules/health/counters.js";
import { ModbusMaster, type ModbusMasterOptions } from "../../drivers/modbus/master.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { ModbusMeterPeer, type ModbusMeterOptions } from "../../hosts/sim/peers/modbus-meter.js";
import { completeOn } from "../sdi12/harness.js";

export interface ModbusBench {
  board: SimBoard;
  meter: ModbusMeterPeer;
  counters: HealthCounters;
  master: ModbusMaster;
  /** Driver-enable line changes as [time, level]. */
  driverEnable: Array<[number, 0 | 1]>;
  complete<T>(start: (done: (result: T) => void) => void, limitMs?: number): T;
}

export function modbusBench(options: { master?: ModbusMasterOptions; meter?: ModbusMeterOptions } = {}): ModbusBench {
  const board = new SimBoard({ seed: 485 });
  const meter = new ModbusMeterPeer(board.attach("rs485", "meter"), options.meter);
  const counters = new HealthCounters();
  const driverEnable: Array<[number, 0 | 1]> = [];
  board.pins.watch(board.pinMap.rs485DriverEnable, (level) => driverEnable.push([board.scheduler.now, level]));
  let master: ModbusMaster | undefined;
  board.start((platform) => {
    master = new ModbusMaster(platform, counters, options.master);
  });
  if (!master) throw new Error(`the master did not start: ${board.crashes.join("; ")}`);
  return { board, meter, counters, master, driverEnable, complete: (start, limitMs) => completeOn(board, start, limitMs) };
}
