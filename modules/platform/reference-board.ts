/**
 * Pin map of the reference board (ESP32-WROVER + Quectel BG95 + RS485 + SDI-12 + 4 analog inputs),
 * shared by the simulator and the ESP32 host so that configurations move between them unchanged.
 * docs/hardware.md draws the same map.
 */
import type { PinMap } from "./platform.js";

export const REFERENCE_PINS: PinMap = Object.freeze({
  rails: Object.freeze([25, 26, 27]),
  modemPowerKey: 4,
  modemReset: 5,
  modemSupply: 18,
  rs485DriverEnable: 19,
  analog: Object.freeze([32, 33, 34, 35]),
  pulse: Object.freeze([13, 14]),
  digital: Object.freeze([15, 16, 17, 21]),
});
