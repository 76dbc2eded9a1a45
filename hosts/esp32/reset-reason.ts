/**
 * ESP-IDF's `esp_reset_reason()` codes (esp_system.h, `esp_reset_reason_t`) as the platform's
 * reset reasons. A wake from deep sleep counts as "restart": the logger asked for it.
 */
import type { ResetReason } from "../../modules/platform/platform.js";

const BY_CODE: Readonly<Record<number, ResetReason>> = Object.freeze({
  1: "power-on", // ESP_RST_POWERON
  2: "power-on", // ESP_RST_EXT: the reset pin
  3: "restart", // ESP_RST_SW: esp_restart()
  4: "crash", // ESP_RST_PANIC
  5: "watchdog", // ESP_RST_INT_WDT
  6: "watchdog", // ESP_RST_TASK_WDT
  7: "watchdog", // ESP_RST_WDT
  8: "restart", // ESP_RST_DEEPSLEEP
  9: "brownout", // ESP_RST_BROWNOUT
  14: "brownout", // ESP_RST_PWR_GLITCH
  15: "crash", // ESP_RST_CPU_LOCKUP
});

export function esp32ResetReason(code: number): ResetReason {
  return BY_CODE[code] ?? "power-on";
}
