/**
 * Pin map of the reference board (ESP32-WROOM-32E + Quectel BG95 + RS485 + SDI-12 + 4 analog inputs),
 * shared by the simulator and the ESP32 host so that configurations move between them unchanged.
 * docs/hardware.md draws the same map and says why each pin was chosen (strapping pins carry
 * outputs that must be low at reset, or inputs whose level at reset does not matter).
 */
import type { PinMap } from "./platform.js";

export const REFERENCE_PINS: PinMap = Object.freeze({
  rails: Object.freeze([25, 26, 27]),
  modemPowerKey: 4,
  modemReset: 12,
  modemSupply: 2,
  rs485DriverEnable: 19,
  analog: Object.freeze([32, 33, 34, 35]),
  pulse: Object.freeze([13, 14]),
  digital: Object.freeze([15, 5, 18, 23]),
});
