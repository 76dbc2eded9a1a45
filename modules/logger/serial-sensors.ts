/**
 * The serial sensor buses at run time: one SDI-12 recorder for every sensor on the sdi12 bus, one
 * Modbus master on RS485, one line sensor on RS232. It lends them to the sampling engine's readers
 * (a bus opens with its first channel and closes with its last), applies the technician's port
 * settings (`sensorPorts`) to the running drivers without a reboot, and runs the console's SDI-12
 * scan on the bus between measurements.
 */
import { ModbusMaster, type ModbusSettings } from "../../drivers/modbus/master.js";
import { Sdi12Recorder } from "../../drivers/sdi12/recorder.js";
import type { ScanEntry } from "../../drivers/sdi12/scan.js";
import { SerialAsciiSensor, type AsciiSensorChange } from "../../drivers/serial-ascii/line-sensor.js";
import { CONFIG_OK, type ConfigResult } from "../../drivers/serial-port/port-settings.js";
import { DEFAULT_SENSOR_PORT, type SensorPortConfig, type SensorPortName } from "../config/device-config.js";
import type { Answer, Sdi12Sensor } from "../console/services.js";
import type { HealthCounters } from "../health/counters.js";
import type { Platform } from "../platform/platform.js";
import { SharedDriver, type Lease } from "../sampling/driver-lease.js";
import { serialReaders, type SerialReaderFactories } from "../sampling/serial-readers.js";

export type SensorPorts = Readonly<Record<SensorPortName, SensorPortConfig>>;

const DEFAULT_PORTS: SensorPorts = { rs485: DEFAULT_SENSOR_PORT, rs232: DEFAULT_SENSOR_PORT };

function modbusSettings(port: SensorPortConfig): Partial<ModbusSettings> {
  return { baud: port.baud, dataBits: port.dataBits, parity: port.parity, stopBits: port.stopBits, responseTimeoutMs: port.timeoutMs };
}

function asciiSettings(port: SensorPortConfig): AsciiSensorChange {
  return { baud: port.baud, dataBits: port.dataBits, parity: port.parity, stopBits: port.stopBits, timeoutMs: port.timeoutMs };
}

function describePort(port: SensorPortConfig): string {
  const framing = `${port.dataBits}${port.parity[0].toUpperCase()}${port.stopBits}`;
  return `${port.baud} ${framing}${port.address === undefined ? "" : ` address ${port.address}`} timeout ${port.timeoutMs} ms`;
}

/** What the console shows for a sensor found by a scan. */
function scanLine(entry: ScanEntry): string {
  const id = entry.identification;
  if (!id) return `answers, but not cleanly: ${entry.problem ?? "no identification"}`;
  const version = `SDI-12 ${id.sdi12Version[0]}.${id.sdi12Version.slice(1)}`;
  return [id.vendor, id.model, id.firmwareVersion, id.extra, `(${version})`].filter((part) => part !== "").join(" ");
}

export class SerialSensors {
  /** The engine's reader factories (SamplingOptions.serialReaders). */
  readonly readers: SerialReaderFactories;
  readonly #platform: Platform;
  readonly #ports: Record<SensorPortName, SensorPortConfig>;
  readonly #sdi12: SharedDriver<Sdi12Recorder>;
  readonly #modbus: SharedDriver<ModbusMaster>;
  /** The RS232 port's sensor and the channel that reads it. */
  #ascii: { channel: string; sensor: SerialAsciiSensor } | undefined;

  constructor(platform: Platform, counters: HealthCounters, ports: SensorPorts = DEFAULT_PORTS) {
    this.#platform = platform;
    this.#ports = { rs485: ports.rs485, rs232: ports.rs232 };
    this.#sdi12 = new SharedDriver(() => new Sdi12Recorder(platform, counters));
    this.#modbus = new SharedDriver(() => new ModbusMaster(platform, counters, modbusSettings(this.#ports.rs485)));
    this.readers = serialReaders({
      sdi12: () => this.#sdi12.acquire(),
      modbus: () => this.#modbus.acquire(),
      portUnit: () => this.#ports.rs485.address,
      ascii: (channel, target) => {
        if (this.#ascii) throw new Error(`rs232 is already read by channel "${this.#ascii.channel}" (one ascii channel per port: give it all the values)`);
        const options = { ...asciiSettings(this.#ports.rs232), extraction: target.extraction, retries: target.retries, maxLineLength: target.maxLineLength };
        const sensor = new SerialAsciiSensor(platform, counters, target.prompt === undefined ? options : { ...options, prompt: target.prompt });
        const owner = { channel: channel.name, sensor };
        this.#ascii = owner;
        const lease: Lease<SerialAsciiSensor> = {
          driver: sensor,
          release: () => {
            if (this.#ascii !== owner) return;
            this.#ascii = undefined;
            sensor.close();
          },
        };
        return lease;
      },
    });
  }

  /**
   * New settings for a port (saved by the caller as a configuration version): the running
   * driver takes them between transactions; a closed one opens with them. A driver that cannot
   * run with them (Modbus with 7 data bits) keeps its settings, and says why.
   */
  applyPort(port: SensorPortName, settings: SensorPortConfig): ConfigResult {
    this.#ports[port] = settings;
    const result = port === "rs485"
      ? this.#modbus.current?.reconfigure(modbusSettings(settings)) ?? CONFIG_OK
      : this.#ascii?.sensor.reconfigure(asciiSettings(settings)) ?? CONFIG_OK;
    this.#platform.trace(result.ok ? `serial: ${port} now ${describePort(settings)}` : `serial: ${port} kept its settings: ${result.error}`);
    return result;
  }

  /** Finds the sensors on the SDI-12 bus; queued with the measurements, so it runs between them. */
  sdi12Scan(done: (answer: Answer<Sdi12Sensor[]>) => void): void {
    let lease: Lease<Sdi12Recorder>;
    try {
      lease = this.#sdi12.acquire();
    } catch (error) {
      done({ ok: false, error: `the SDI-12 bus cannot open: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    lease.driver.scan({}, (found) => {
      lease.release();
      done({ ok: true, value: found.map((entry) => ({ address: entry.address, identification: scanLine(entry) })) });
    });
  }
}
