/** A simulated board with an RS232 line sensor and the serial ASCII driver; Node-free. */
import { HealthCounters } from "../../modules/health/counters.js";
import { type AsciiSensorOptions, SerialAsciiSensor } from "../../drivers/serial-ascii/line-sensor.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { LineSensorPeer, type LineSensorOptions } from "../../hosts/sim/peers/rs232-line-sensor.js";
import { completeOn } from "../sdi12/harness.js";

export interface AsciiBench {
  board: SimBoard;
  peer: LineSensorPeer;
  counters: HealthCounters;
  sensor: SerialAsciiSensor;
  complete<T>(start: (done: (result: T) => void) => void, limitMs?: number): T;
}

export const TEMPERATURE: AsciiSensorOptions = { extraction: { kind: "delimited", delimiter: ",", fields: [1], prefix: "$TEMP," } };

export function asciiBench(driver: AsciiSensorOptions, peer: LineSensorOptions): AsciiBench {
  const board = new SimBoard({ seed: 232 });
  const line = new LineSensorPeer(board.attach("rs232", "sensor"), peer);
  const counters = new HealthCounters();
  let sensor: SerialAsciiSensor | undefined;
  board.start((platform) => {
    sensor = new SerialAsciiSensor(platform, counters, driver);
  });
  if (!sensor) throw new Error(`the driver did not start: ${board.crashes.join("; ")}`);
  return { board, peer: line, counters, sensor, complete: (start, limitMs) => completeOn(board, start, limitMs) };
}
