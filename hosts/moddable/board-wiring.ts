/**
 * A board as configuration: its pin map, where each serial role is wired, the I2C bus with the
 * UART bridges and the climate sensor, and how the battery is measured. docs/hardware.md draws
 * the reference boards from these tables.
 */
import type { PinMap } from "../../modules/platform/platform.js";
import type { SerialPortName } from "../../modules/platform/io.js";
import type { BridgeChannelOptions } from "./sc16is7xx.js";

/** A role on one of the MCU's own UARTs (Moddable `embedded:io/serial`). */
export interface NativeSerialWiring {
  readonly kind: "native";
  /** ESP32 UART number; nRF52 has one UARTE and no number. */
  readonly port?: number;
  readonly transmit: number;
  readonly receive: number;
}

/** A role on a channel of an SC16IS752 bridge. */
export interface BridgeSerialWiring extends BridgeChannelOptions {
  readonly kind: "bridge";
  /** Index into `BoardWiring.bridges`. */
  readonly bridge: number;
  readonly channel: 0 | 1;
}

export type SerialWiring = NativeSerialWiring | BridgeSerialWiring;

export interface BoardWiring {
  readonly model: string;
  readonly pins: PinMap;
  readonly i2c: { readonly data: number; readonly clock: number; readonly hz: number };
  /** 7-bit I2C addresses of the SC16IS752 bridges. */
  readonly bridges: readonly number[];
  /** The bridges' shared, active-low, open-drain interrupt line. */
  readonly bridgeInterrupt: number;
  readonly serial: Readonly<Partial<Record<SerialPortName, SerialWiring>>>;
  readonly batteryAdc: number;
  /** Battery volts per volt at the ADC pin. */
  readonly batteryDivider: number;
  /** Volts at an ADC pin for the top code; the analog channels' configuration must use the same. */
  readonly adcFullScaleVolts: number;
}

/** Every GPIO the wiring assigns, with what it is for: two uses of one pin are a wiring error. */
export function pinAssignments(board: BoardWiring): Map<number, string[]> {
  const uses = new Map<number, string[]>();
  const add = (pin: number, use: string) => {
    const list = uses.get(pin);
    if (list) list.push(use);
    else uses.set(pin, [use]);
  };
  const { pins } = board;
  pins.rails.forEach((pin, i) => add(pin, `rail ${i + 1}`));
  add(pins.modemPowerKey, "modem PWRKEY");
  add(pins.modemReset, "modem RESET");
  add(pins.modemSupply, "modem supply");
  add(pins.rs485DriverEnable, "RS-485 DE");
  pins.analog.forEach((pin, i) => add(pin, `analog ${i + 1}`));
  pins.pulse.forEach((pin, i) => add(pin, `pulse ${i + 1}`));
  pins.digital.forEach((pin, i) => add(pin, `digital ${i + 1}`));
  add(board.i2c.data, "I2C SDA");
  add(board.i2c.clock, "I2C SCL");
  add(board.bridgeInterrupt, "bridge IRQ");
  add(board.batteryAdc, "battery ADC");
  for (const [role, wiring] of Object.entries(board.serial)) {
    if (wiring?.kind !== "native") continue;
    add(wiring.transmit, `${role} TX`);
    add(wiring.receive, `${role} RX`);
  }
  return uses;
}

/** Throws on a pin assigned twice or a bridge channel given two roles. */
export function checkWiring(board: BoardWiring): void {
  for (const [pin, uses] of pinAssignments(board)) {
    if (uses.length > 1) throw new Error(`${board.model}: pin ${pin} is assigned to ${uses.join(" and ")}`);
  }
  const channels = new Map<string, string>();
  for (const [role, wiring] of Object.entries(board.serial)) {
    if (wiring?.kind !== "bridge") continue;
    if (wiring.bridge >= board.bridges.length) throw new Error(`${board.model}: ${role} is on bridge ${wiring.bridge}, which is not fitted`);
    const key = `${wiring.bridge}:${wiring.channel}`;
    const other = channels.get(key);
    if (other) throw new Error(`${board.model}: ${role} and ${other} share bridge ${wiring.bridge} channel ${wiring.channel}`);
    channels.set(key, role);
  }
}
