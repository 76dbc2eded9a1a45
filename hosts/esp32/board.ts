/**
 * The ESP32 reference board (ESP32-WROOM-32E-N8): pins from the shared reference map, and where
 * each serial role is wired. docs/hardware.md draws this table.
 *
 * The chip has three UARTs, and Moddable frames them 8N1 only: UART0 is the USB console (and the
 * xsbug link in debug builds), UART1 the modem; RS-485 (Modbus often runs 8E1), SDI-12 (7E1 with
 * a break) and RS-232 go to two SC16IS752 bridges, which frame anything and make breaks.
 */
import type { BoardWiring } from "../moddable/board-wiring.js";
import { REFERENCE_PINS } from "../../modules/platform/reference-board.js";

export const ESP32_BOARD: BoardWiring = Object.freeze({
  model: "DL-1 ESP32",
  pins: REFERENCE_PINS,
  i2c: Object.freeze({ data: 21, clock: 22, hz: 400_000 }),
  bridges: Object.freeze([0x48, 0x49]),
  bridgeInterrupt: 39,
  serial: Object.freeze({
    console: Object.freeze({ kind: "native", port: 0, transmit: 1, receive: 3 }),
    modem: Object.freeze({ kind: "native", port: 1, transmit: 17, receive: 16 }),
    rs485: Object.freeze({ kind: "bridge", bridge: 0, channel: 0 }),
    sdi12: Object.freeze({ kind: "bridge", bridge: 0, channel: 1, autoDirection: "rts-high-while-sending" }),
    rs232: Object.freeze({ kind: "bridge", bridge: 1, channel: 0 }),
  }),
  batteryAdc: 36,
  batteryDivider: 2,
  adcFullScaleVolts: 2.45,
});

/** The log's data partition in partitions.csv. */
export const LOG_PARTITION = "log";
/** ESP32 UART FIFO: Moddable's serial has no software buffer. */
export const UART_FIFO_BYTES = 128;
/** The firmware updater's journal: a data partition of its own (partitions.csv). */
export const OTA_JOURNAL_PARTITION = "otajournal";
/** NVS namespace of the firmware-slot binding's trial record; the configuration lives in "dl". */
export const SLOT_RECORD_NAMESPACE = "dlslots";
