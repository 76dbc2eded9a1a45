/**
 * The ESP32 board's platform: the shared Moddable bindings plus what only the ESP32 has, through
 * XS FFI (the manifest's `ffi.functions`, linked against ESP-IDF): the hardware RNG, reset
 * reason, restart and deep sleep, which no Moddable JavaScript API offers on ESP32
 * (`System.deepSleep` compiles to nothing there), and the app rollback calls of the firmware
 * slots (firmware-slots.ts).
 */
import FFI from "mc/ffi";
import config from "mc/config";
import { ESP32_KEY_VALUE_LIMITS } from "../moddable/key-value.js";
import { makeBoardPlatform, type BoardPlatform } from "../moddable/sdk/board-platform.js";
import { ESP32_BOARD, LOG_PARTITION, UART_FIFO_BYTES } from "./board.js";
import { makeEsp32FirmwareSlots, type Esp32OtaNatives } from "./firmware-slots.js";
import { checkEsp32Framing } from "./framing.js";
import { esp32ResetReason } from "./reset-reason.js";

/** The functions hosts/esp32/manifest.json declares under ffi.functions. */
interface Esp32Natives extends Esp32OtaNatives {
  esp_fill_random(buffer: ArrayBuffer, length: number): void;
  esp_reset_reason(): number;
  esp_restart(): void;
  esp_deep_sleep(microseconds: bigint): void;
  esp_efuse_mac_get_default(mac: ArrayBuffer): number;
}

export function makeEsp32Platform(): BoardPlatform {
  const natives = new FFI() as unknown as Esp32Natives;
  const mac = new ArrayBuffer(6);
  natives.esp_efuse_mac_get_default(mac);
  // A log partition flagged "encrypted" in partitions.csv is written in 16-byte blocks and
  // reads back decrypted, so erased space no longer reads as 0xFF (docs/hardware.md, "Flash").
  const encrypted = (config as { encryptedLog?: unknown }).encryptedLog === true;
  const resetReason = esp32ResetReason(natives.esp_reset_reason());
  return makeBoardPlatform(ESP32_BOARD, {
    name: "esp32",
    logPartition: LOG_PARTITION,
    flash: { writeGranularity: encrypted ? 16 : 4, erasedReadsAsOnes: !encrypted },
    keyValueLimits: ESP32_KEY_VALUE_LIMITS,
    entropy: {
      take(bytes) {
        const buffer = new ArrayBuffer(bytes.length);
        natives.esp_fill_random(buffer, bytes.length);
        bytes.set(new Uint8Array(buffer));
        return bytes.length;
      },
    },
    deviceId: new Uint8Array(mac),
    resetReason,
    checkFraming: checkEsp32Framing,
    uartTxCapacity: UART_FIFO_BYTES,
    restart: () => natives.esp_restart(),
    deepSleep: (ms) => natives.esp_deep_sleep(BigInt(Math.max(0, Math.round(ms))) * 1000n),
    update: makeEsp32FirmwareSlots(natives, resetReason, (line) => trace(`${line}\n`)),
  });
}
