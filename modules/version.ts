/** Firmware identity, reported in health, over BLE and on the console. */
export const FIRMWARE_VERSION = "0.1.0";
export const HARDWARE_MODEL = "DL-1";
