/** ESP-IDF `esp_err_t` codes the firmware-slot calls return (esp_err.h, esp_ota_ops.h), by name for messages. */
const NAMES: Readonly<Record<number, string>> = Object.freeze({
  [-1]: "ESP_FAIL",
  0x101: "ESP_ERR_NO_MEM",
  0x102: "ESP_ERR_INVALID_ARG",
  0x103: "ESP_ERR_INVALID_STATE",
  0x105: "ESP_ERR_NOT_FOUND",
  0x1501: "ESP_ERR_OTA_PARTITION_CONFLICT",
  0x1502: "ESP_ERR_OTA_SELECT_INFO_INVALID",
  0x1503: "ESP_ERR_OTA_VALIDATE_FAILED",
  0x1504: "ESP_ERR_OTA_SMALL_SEC_VER",
  0x1505: "ESP_ERR_OTA_ROLLBACK_FAILED",
  0x1506: "ESP_ERR_OTA_ROLLBACK_INVALID_STATE",
});

export const ESP_OK = 0;

export function espErrorName(code: number): string {
  return NAMES[code] ?? `esp_err_t 0x${(code >>> 0).toString(16)}`;
}
