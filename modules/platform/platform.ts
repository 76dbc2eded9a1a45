import type { BlePeripheral } from "./ble.js";
import type { Clock, Timers } from "./clock.js";
import type { Flash } from "./flash.js";
import type { IoClasses } from "./io.js";
import type { FirmwareSlots } from "./update.js";

export type { BlePeripheral, BleCallbacks } from "./ble.js";
export type { Clock, Timers, TimerHandle, TimeQuality } from "./clock.js";
export type { Flash } from "./flash.js";
export type * from "./io.js";
export type { FirmwareSlots } from "./update.js";

/** Small persistent store for configuration and counters; each write is atomic. */
export interface KeyValueStore {
  read(key: string): Uint8Array | undefined;
  write(key: string, value: Uint8Array): void;
  delete(key: string): void;
  keys(): string[];
}

export interface Random {
  /** Fills `bytes` from a cryptographically secure generator and returns it. */
  getRandomValues(bytes: Uint8Array): Uint8Array;
}

/** What the board measures about itself. */
export interface HealthSensors {
  batteryVolts(): number;
  internalHumidity(): number;
  internalTemperature(): number;
}

/** Pin and port assignments of the board; configuration, not code (docs/hardware.md). */
export interface PinMap {
  /** Switched sensor power rails, by rail number. */
  rails: readonly number[];
  modemPowerKey: number;
  modemReset: number;
  /** Switch that cuts the modem's supply: the last step of the recovery ladder. */
  modemSupply: number;
  rs485DriverEnable: number;
  analog: readonly number[];
  pulse: readonly number[];
  digital: readonly number[];
}

export type ResetReason = "power-on" | "restart" | "watchdog" | "brownout" | "crash";

export interface Platform {
  readonly name: string;
  readonly clock: Clock;
  readonly timers: Timers;
  /** The partition that holds the data log. */
  readonly flash: Flash;
  readonly storage: KeyValueStore;
  readonly random: Random;
  readonly health: HealthSensors;
  readonly io: IoClasses;
  readonly pins: PinMap;
  readonly ble: BlePeripheral;
  readonly resetReason: ResetReason;
  /** The firmware slots and bootloader: how an update is installed (docs/firmware-update.md). */
  readonly update: FirmwareSlots;
  /** One line of diagnostic output (xsbug / stdout); the console decides what a technician sees. */
  trace(line: string): void;
  /** Reboots the logger; does not return on hardware. */
  restart(reason: string): void;
}
