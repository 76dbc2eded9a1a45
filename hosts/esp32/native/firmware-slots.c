/*
 * ESP-IDF app_update calls for the ESP32 firmware-slot binding (hosts/esp32/firmware-slots.ts),
 * bound through XS FFI (hosts/esp32/manifest.json, ffi). The IDF calls take partition pointers,
 * which FFI cannot carry, so each function here finds its partition: `which` 0 is the running app
 * partition, anything else the next update partition (the inactive slot).
 */
#include <stdint.h>
#include "sdkconfig.h"
#include "esp_partition.h"
/* Moddable's ESP32 build puts IDF's components directory on the include path. */
#include "app_update/include/esp_ota_ops.h"

static const esp_partition_t *slot_partition(uint32_t which)
{
	return which ? esp_ota_get_next_update_partition(NULL) : esp_ota_get_running_partition();
}

/* OTA slot index (0 for ota_0), or -1 when the partition is missing or not an OTA app slot. */
int32_t dl_ota_slot(uint32_t which)
{
	const esp_partition_t *partition = slot_partition(which);
	if (!partition || partition->type != ESP_PARTITION_TYPE_APP) return -1;
	if (partition->subtype < ESP_PARTITION_SUBTYPE_APP_OTA_MIN || partition->subtype >= ESP_PARTITION_SUBTYPE_APP_OTA_MAX) return -1;
	return partition->subtype - ESP_PARTITION_SUBTYPE_APP_OTA_MIN;
}

/* esp_ota_img_states_t; ESP_OTA_IMG_UNDEFINED also when otadata has no entry for the slot. */
uint32_t dl_ota_state(uint32_t which)
{
	esp_ota_img_states_t state = ESP_OTA_IMG_UNDEFINED;
	const esp_partition_t *partition = slot_partition(which);
	if (!partition || esp_ota_get_state_partition(partition, &state) != ESP_OK) return ESP_OTA_IMG_UNDEFINED;
	return state;
}

/* 1 when flash encryption covers the partition: writes then go in 16-byte blocks. */
int32_t dl_ota_encrypted(uint32_t which)
{
	const esp_partition_t *partition = slot_partition(which);
	return partition && partition->encrypted ? 1 : 0;
}

/* Makes the next update partition the one to test-boot at the next reset (it verifies the image). */
int32_t dl_ota_set_boot_next(void)
{
	const esp_partition_t *next = esp_ota_get_next_update_partition(NULL);
	return next ? esp_ota_set_boot_partition(next) : ESP_ERR_NOT_FOUND;
}

/*
 * 1 when the build's bootloader test-boots new images and waits for the application to confirm
 * them. ESP-IDF 6.2 renamed the option and added automatic confirmation at startup, which would
 * confirm an image before its self-check ran.
 */
int32_t dl_ota_rollback_enabled(void)
{
#if defined(CONFIG_BOOTLOADER_APP_ROLLBACK_CONFIRM_ON_STARTUP)
	return 0;
#elif defined(CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE) || defined(CONFIG_BOOTLOADER_APP_ROLLBACK_CONFIRM_BY_APP)
	return 1;
#else
	return 0;
#endif
}
