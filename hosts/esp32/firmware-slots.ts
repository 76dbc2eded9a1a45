/**
 * The ESP32's `platform.update`: opens what EspFirmwareSlots (hosts/moddable/esp-firmware-slots.ts)
 * works on, through Moddable's `flash` module (the `running` and `nextota` app partitions, the
 * `otajournal` data partition), `embedded:storage/key-value` (NVS namespace `dlslots`) and the
 * app_update calls of native/firmware-slots.c and ESP-IDF through FFI. When any of it is missing,
 * the board runs without updates and says why (docs/firmware-update.md §13).
 */
import KeyValueStorage from "embedded:storage/key-value";
import type { ResetReason } from "../../modules/platform/platform.js";
import { FirmwareSlotError, type FirmwareSlots } from "../../modules/platform/update.js";
import { HARDWARE_MODEL } from "../../modules/version.js";
import { EspFirmwareSlots, type OtaPartition } from "../moddable/esp-firmware-slots.js";
import { BackendKeyValueStore, ESP32_KEY_VALUE_LIMITS } from "../moddable/key-value.js";
import { openPartitionFlash } from "../moddable/sdk/legacy-partition.js";
import { firmwareSlotsOrUnavailable } from "../moddable/unavailable-firmware-slots.js";
import { OTA_JOURNAL_PARTITION, SLOT_RECORD_NAMESPACE } from "./board.js";

/** The ffi.functions of hosts/esp32/manifest.json this binding calls. */
export interface Esp32OtaNatives {
  dl_ota_slot(which: number): number;
  dl_ota_state(which: number): number;
  dl_ota_encrypted(which: number): number;
  dl_ota_set_boot_next(): number;
  dl_ota_rollback_enabled(): number;
  esp_ota_mark_app_valid_cancel_rollback(): number;
  esp_ota_mark_app_invalid_rollback_and_reboot(): number;
}

const WHICH: Readonly<Record<OtaPartition, number>> = Object.freeze({ running: 0, next: 1 });

export function makeEsp32FirmwareSlots(natives: Esp32OtaNatives, resetReason: ResetReason, report: (line: string) => void): FirmwareSlots {
  return firmwareSlotsOrUnavailable(() => {
    if (natives.dl_ota_rollback_enabled() !== 1) {
      throw new FirmwareSlotError("the build has no app rollback confirmed by the application (CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE)");
    }
    // Flash encryption covers every app partition: 16-byte writes, and erased space reads as noise.
    const slotOptions = (which: number) => {
      const encrypted = natives.dl_ota_encrypted(which) === 1;
      return { writeGranularity: encrypted ? 16 : 4, erasedReadsAsOnes: !encrypted };
    };
    return new EspFirmwareSlots({
      ota: {
        slotIndex: (partition) => natives.dl_ota_slot(WHICH[partition]),
        imageState: (partition) => natives.dl_ota_state(WHICH[partition]),
        setBootPartitionToNext: () => natives.dl_ota_set_boot_next(),
        markValid: () => natives.esp_ota_mark_app_valid_cancel_rollback(),
        markInvalidAndReboot: () => natives.esp_ota_mark_app_invalid_rollback_and_reboot(),
      },
      running: openPartitionFlash("running", slotOptions(WHICH.running)),
      next: openPartitionFlash("nextota", slotOptions(WHICH.next)),
      journal: openPartitionFlash(OTA_JOURNAL_PARTITION, { writeGranularity: 4, erasedReadsAsOnes: true }),
      records: new BackendKeyValueStore(KeyValueStorage.open({ path: SLOT_RECORD_NAMESPACE, format: "buffer" }), ESP32_KEY_VALUE_LIMITS),
      resetReason,
      model: HARDWARE_MODEL,
    });
  }, report);
}
