/**
 * `platform.update` on the real boards until the bootloader bindings exist (ESP32: the ota_0 /
 * ota_1 partitions with ESP-IDF's app rollback; nRF52: the UF2 bootloader's DFU, which has no
 * JavaScript API). It reports the running image truthfully as a confirmed one and refuses every
 * update step with a FirmwareSlotError, so the updater declines an update instead of writing
 * somewhere it should not. docs/hardware.md lists this under the known gaps.
 */
import type { Flash } from "../../modules/platform/flash.js";
import { FirmwareSlotError, type FirmwareSlots, type RunningImage, type Trial } from "../../modules/platform/update.js";

export function unwiredFirmwareSlots(image: RunningImage, board: string): FirmwareSlots {
  const refuse = (): never => {
    throw new FirmwareSlotError(`firmware slots are not wired on ${board} yet (docs/hardware.md, known gaps)`);
  };
  const journal: Flash = Object.freeze({
    byteLength: 0,
    blockSize: 4096,
    writeGranularity: 4,
    read: refuse,
    write: refuse,
    erase: refuse,
  });
  const trial: Trial = Object.freeze({ mark: 0, outcome: Object.freeze({ kind: "none" as const }) });
  return Object.freeze({
    running: () => image,
    lastTrial: () => trial,
    securityFloor: () => image.securityCounter,
    slotBytes: 0,
    inactiveSlot: refuse,
    journal,
    markBootable: refuse,
    confirm: refuse,
    reject: refuse,
  });
}
