/**
 * The nRF52840 reference board: the same I/O board as the ESP32 one, on an nRF52840 module.
 * Pin numbers follow Moddable's convention, port * 32 + pin (P1.04 is 36). docs/hardware.md
 * draws this table.
 *
 * Moddable drives one UARTE, framed 8N1, 7E1 or 7O1: the modem gets it. Every other role is on
 * an SC16IS752 channel; the console's channel goes to a USB-UART chip on the board's USB socket
 * (Moddable has no JavaScript USB CDC device; the nRF52840's own USB carries xsbug in debug builds).
 *
 * Analog inputs are on AIN0..AIN4 (P0.02..P0.05, P0.28); P0.00/P0.01 (32 kHz crystal), P0.09/P0.10
 * (NFC) and P0.18 (reset) are left alone.
 */
import type { PinMap } from "../../modules/platform/platform.js";
import type { BoardWiring } from "../moddable/board-wiring.js";

export const NRF52_PINS: PinMap = Object.freeze({
  rails: Object.freeze([36, 37, 38]),
  modemPowerKey: 39,
  modemReset: 40,
  modemSupply: 42,
  rs485DriverEnable: 43,
  analog: Object.freeze([2, 3, 4, 5]),
  pulse: Object.freeze([44, 45]),
  digital: Object.freeze([46, 47, 30, 31]),
});

export const NRF52_BOARD: BoardWiring = Object.freeze({
  model: "DL-1 nRF52840",
  pins: NRF52_PINS,
  i2c: Object.freeze({ data: 26, clock: 27, hz: 400_000 }),
  bridges: Object.freeze([0x48, 0x49]),
  bridgeInterrupt: 35,
  serial: Object.freeze({
    modem: Object.freeze({ kind: "native", transmit: 33, receive: 34 }),
    rs485: Object.freeze({ kind: "bridge", bridge: 0, channel: 0 }),
    sdi12: Object.freeze({ kind: "bridge", bridge: 0, channel: 1, autoDirection: "rts-high-while-sending" }),
    rs232: Object.freeze({ kind: "bridge", bridge: 1, channel: 0 }),
    console: Object.freeze({ kind: "bridge", bridge: 1, channel: 1 }),
  }),
  batteryAdc: 28,
  batteryDivider: 2,
  adcFullScaleVolts: 3.6,
});

/** Moddable's `flash` partition on nRF52: the top of the free flash, sized by defines.file.lfs. */
export const LOG_PARTITION = "storage";
/** Moddable's nRF52 serial transmit buffer. */
export const UART_TX_BYTES = 768;
/**
 * Why the nRF52 board has no `platform.update` slots (docs/firmware-update.md §13): Moddable's
 * nRF52 bootloader takes images only over USB (UF2) or BLE DFU, and keeps no A/B slots an
 * application could fill over cellular and test-boot.
 */
export const NRF52_NO_SLOTS =
  "nRF52: Moddable's UF2 bootloader has no application-driven A/B slots with test boot (docs/firmware-update.md §13)";
