/**
 * Builds the Platform of a real board from Moddable SDK modules and the chip's own support
 * (hosts/esp32, hosts/nrf52). Everything with logic in it lives one level up, tested on Node;
 * this file only wires SDK objects into it.
 */
import Time from "time";
import Timer from "timer";
import KeyValueStorage from "embedded:storage/key-value";
import type { Clock, Timers } from "../../../modules/platform/clock.js";
import type {
  AnalogClass, DigitalClass, IoClasses, PulseCountClass, PulseCountOptions, SerialClass, SerialOptions,
} from "../../../modules/platform/io.js";
import { DigitalEdge, DigitalMode } from "../../../modules/platform/io.js";
import type { Platform, ResetReason } from "../../../modules/platform/platform.js";
import type { FirmwareSlots } from "../../../modules/platform/update.js";
import { BleSession } from "../ble-session.js";
import { BoardHealth, SHT4X_ADDRESS } from "../board-health.js";
import { checkWiring, type BoardWiring } from "../board-wiring.js";
import { DeviceClock } from "../device-clock.js";
import { EdgePulseCount } from "../edge-pulse-count.js";
import { HardwareSeededRandom, type EntropySource } from "../hardware-random.js";
import { BackendKeyValueStore, type KeyValueLimits } from "../key-value.js";
import type { ModdableSerialClass } from "../native-uart.js";
import type { PartitionFlashOptions } from "../partition-flash.js";
import { PortSerial } from "../port-serial.js";
import { Sc16is7xx, serviceBridges, type I2cBus } from "../sc16is7xx.js";
import { makeUartOpener } from "../serial-roles.js";
import { TimerAdapter } from "../timer-adapter.js";
import type { Framing } from "../uart-port.js";
import { LoggerBleServer } from "./ble-server.js";
import { openPartitionFlash } from "./legacy-partition.js";

/** What differs between the chips, supplied by each host. */
export interface ChipSupport {
  readonly name: string;
  readonly logPartition: string;
  readonly flash: PartitionFlashOptions;
  readonly keyValueLimits: KeyValueLimits;
  readonly entropy: EntropySource;
  /** Separates devices in the random generator's seed (the chip's unique id). */
  readonly deviceId: Uint8Array;
  readonly resetReason: ResetReason;
  /** Why the chip's own UART cannot frame characters that way, or undefined. */
  checkFraming(framing: Framing): string | undefined;
  readonly uartTxCapacity: number;
  /** Reboots; `epochMs` is the wall clock to carry over where the chip would lose it. */
  restart(epochMs: number): void;
  /** Powers down for `ms`; the chip boots again afterwards. */
  deepSleep(ms: number): void;
  /** The firmware slots and bootloader (hosts/esp32/firmware-slots.ts; nRF52: unavailable). */
  readonly update: FirmwareSlots;
}

/** The platform, plus what the Platform interface does not have yet. */
export interface BoardPlatform extends Platform {
  /**
   * Deep sleep for `ms`: does not return; the logger boots again with resetReason "restart".
   * Throws during a test boot: waking is a reset, which rolls an unconfirmed image back.
   */
  deepSleep(ms: number): void;
}

const STORAGE_NAMESPACE = "dl";

function traceLine(line: string): void {
  trace(`${line}\n`);
}

function reportError(error: unknown): void {
  traceLine(`error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
}

export function makeBoardPlatform(board: BoardWiring, chip: ChipSupport): BoardPlatform {
  checkWiring(board);
  const timers = new TimerAdapter(Timer, reportError);
  const clock: Clock = new DeviceClock({
    ticks: () => Time.ticks,
    wallMs: () => Date.now(),
    setWallSeconds: (seconds) => Time.set(seconds),
  });

  const Digital: DigitalClass = device.io.Digital;
  // The typings omit Analog.close(), which both ports implement (`_analog.js`).
  const Analog = device.io.Analog as unknown as AnalogClass;
  const i2c = (address: number): I2cBus => new device.io.I2C({ ...board.i2c, address });

  const bridgeTiming = { after: (ms: number, callback: () => void) => afterMs(timers, ms, callback) };
  const bridges = board.bridges.map((address) => new Sc16is7xx(i2c(address), bridgeTiming));
  if (bridges.length > 0) {
    // Moddable keeps an input with an onReadable alive until it is closed: nothing holds it here.
    new Digital({
      pin: board.bridgeInterrupt,
      mode: DigitalMode.InputPullUp,
      edge: DigitalEdge.Falling,
      onReadable() {
        serviceBridges(bridges, () => this.read());
      },
    });
  }

  const open = makeUartOpener(board, {
    native: {
      // The typings require `port` and lack nRF52's `data`/`parity` options.
      Serial: device.io.Serial as unknown as ModdableSerialClass,
      txCapacity: chip.uartTxCapacity,
      checkFraming: (framing) => chip.checkFraming(framing),
      holdLow: (pin) => new Digital({ pin, mode: DigitalMode.Output }),
      now: () => clock.monotonic(),
      after: (ms, callback) => afterMs(timers, ms, callback),
    },
    bridges,
  });
  const serialHost = { open, defer: (callback: () => void) => timers.set(callback, 0), report: reportError };
  const Serial: SerialClass = class extends PortSerial {
    constructor(options: SerialOptions) {
      super(options, serialHost);
    }
  };
  const PulseCount: PulseCountClass = class extends EdgePulseCount {
    constructor(options: PulseCountOptions) {
      super(Digital, () => clock.monotonic(), options);
    }
  };
  const io: IoClasses = Object.freeze({ Digital, Analog, PulseCount, Serial });

  const random = new HardwareSeededRandom(chip.entropy, chip.deviceId);
  const ble = new BleSession((events) => new LoggerBleServer(events), reportError);

  return Object.freeze({
    name: `${chip.name}:${board.model}`,
    clock,
    timers,
    flash: openPartitionFlash(chip.logPartition, chip.flash),
    storage: new BackendKeyValueStore(KeyValueStorage.open({ path: STORAGE_NAMESPACE, format: "buffer" }), chip.keyValueLimits),
    random,
    health: new BoardHealth({
      battery: new Analog({ pin: board.batteryAdc }),
      adcFullScaleVolts: board.adcFullScaleVolts,
      batteryDivider: board.batteryDivider,
      climate: i2c(SHT4X_ADDRESS),
      timers,
    }),
    io,
    pins: board.pins,
    ble,
    resetReason: chip.resetReason,
    update: chip.update,
    trace: traceLine,
    restart(reason: string) {
      traceLine(`restart: ${reason}`);
      chip.restart(clock.now());
    },
    deepSleep(ms: number) {
      if (chip.update.running().testBoot) throw new Error("no deep sleep during a test boot: waking would roll the update back");
      traceLine(`deep sleep ${ms} ms`);
      chip.deepSleep(ms);
    },
  });
}

function afterMs(timers: Timers, ms: number, callback: () => void): () => void {
  const handle = timers.set(() => callback(), ms);
  return () => timers.clear(handle);
}
