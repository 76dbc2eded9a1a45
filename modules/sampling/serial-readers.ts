/**
 * Reader factories for serial channels: each reading is one measurement by the channel's driver
 * (an SDI-12 measurement, Modbus register reads, an RS232 line), and each configured value is
 * picked from its answer. A failed measurement gives every value a fault reading with the
 * driver's SensorFault code; an answer without a configured value gives that value a
 * BadResponse fault. Whoever owns the buses (modules/logger/serial-sensors.ts) lends the drivers.
 */
import type { MeasurementRequest } from "../../drivers/sdi12/commands.js";
import type { ModbusPoint } from "../../drivers/modbus/values.js";
import { type MeasureCallback, type MeasureResult, failure } from "../../drivers/serial-port/measure-result.js";
import type { SerialChannelConfig, SerialProtocol } from "../config/channels.js";
import type { HealthCounters } from "../health/counters.js";
import { SensorFault } from "../records/sample.js";
import type { Lease } from "./driver-lease.js";
import { faultReading, type ChannelReader, type ReaderContext, type ReaderFactory, type Reading } from "./reader.js";
import { type AsciiTarget, type ModbusTarget, serialTarget } from "./serial-target.js";

/** What a reader needs of each driver (Sdi12Recorder, ModbusMaster, SerialAsciiSensor). */
export interface Sdi12Measurer {
  measure(request: MeasurementRequest, done: MeasureCallback): void;
}
export interface ModbusMeasurer {
  measure(points: readonly ModbusPoint[], done: MeasureCallback): void;
}
export interface LineMeasurer {
  measure(done: MeasureCallback): void;
}

/** The buses' owner: one driver per bus, lent to every channel on it. Each may throw when its port cannot open. */
export interface SerialDrivers {
  sdi12(): Lease<Sdi12Measurer>;
  modbus(): Lease<ModbusMeasurer>;
  /** The unit set for the RS485 port, read at every reading of a channel addressed "port". */
  portUnit(): number | undefined;
  /** An RS232 line sensor belongs to its one channel. */
  ascii(channel: SerialChannelConfig, target: AsciiTarget): Lease<LineMeasurer>;
}

export type SerialReaderFactories = Partial<Record<SerialProtocol, ReaderFactory<SerialChannelConfig>>>;

export function serialReaders(drivers: SerialDrivers): SerialReaderFactories {
  const open: ReaderFactory<SerialChannelConfig> = (channel, context) => {
    const checked = serialTarget(channel, channel.name);
    if (!checked.ok) throw new Error(checked.problems.join("; "));
    const target = checked.target;
    const inOrder = channel.values.map((_, i) => i);
    switch (target.protocol) {
      case "sdi12": {
        const lease = drivers.sdi12();
        const positions = channel.values.map((value) => value.index);
        return measuringReader(channel, context, lease, positions, (done) => lease.driver.measure(target.request, done));
      }
      case "modbus": {
        const lease = drivers.modbus();
        return measuringReader(channel, context, lease, inOrder, (done) => {
          const unit = target.unit === "port" ? drivers.portUnit() : target.unit;
          if (unit === undefined) done(failure(SensorFault.SensorError, "no Modbus unit set for the rs485 port (serial rs485 address)"));
          else lease.driver.measure(modbusPoints(channel, target, unit), done);
        });
      }
      case "ascii": {
        const lease = drivers.ascii(channel, target);
        return measuringReader(channel, context, lease, inOrder, (done) => lease.driver.measure(done));
      }
    }
  };
  return { sdi12: open, modbus: open, ascii: open };
}

/** One point per value: `index` is the value's register address. */
function modbusPoints(channel: SerialChannelConfig, target: ModbusTarget, unit: number): ModbusPoint[] {
  return channel.values.map((value) => ({
    unit, function: target.function, address: value.index, type: target.type, order: target.order, scale: target.scale, offset: target.offset,
  }));
}

/**
 * One measurement per reading. A reading asked for while the previous one is still in the driver
 * (it outlived the channel's timeout and a whole interval) is a BusFault at once: queueing it
 * behind a sensor that never finishes would grow the bus queue without end.
 */
function measuringReader(channel: SerialChannelConfig, context: ReaderContext, lease: Lease<unknown>, positions: readonly number[],
  measure: (done: MeasureCallback) => void): ChannelReader {
  let measuring = false;
  let closed = false;
  return {
    read(done) {
      if (measuring) {
        context.counters.increment("serial.busy");
        done(positions.map(() => faultReading(SensorFault.BusFault)));
        return;
      }
      measuring = true;
      measure((result) => {
        measuring = false;
        if (closed) return;
        if (!result.ok) context.platform.trace(`serial: ${channel.name}: ${result.detail}`);
        done(readingsOf(result, positions, context.counters));
      });
    },
    close() {
      closed = true;
      lease.release();
    },
  };
}

/** Value `positions[i]` of the answer for output i; a fault for all when the measurement failed. */
function readingsOf(result: MeasureResult, positions: readonly number[], counters: HealthCounters): Reading[] {
  if (!result.ok) return positions.map(() => faultReading(result.fault));
  return positions.map((position) => {
    const value = result.value[position];
    if (value !== undefined && Number.isFinite(value)) return { value, flags: 0 };
    counters.increment("serial.missing_value");
    return faultReading(SensorFault.BadResponse);
  });
}
