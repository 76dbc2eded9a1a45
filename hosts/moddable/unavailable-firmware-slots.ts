/**
 * `platform.update` on a board whose bootloader cannot run the updater's A/B trials: nRF52 under
 * Moddable (its UF2 bootloader takes images over USB or BLE DFU only), or an ESP32 whose slots
 * could not be opened (an old partition table, a build without app rollback, an image that
 * declares no security counter). It reports the running build truthfully as a confirmed image,
 * `slotBytes` 0 (so the composition root builds no updater), and refuses every update step with
 * a FirmwareSlotError that gives the reason. docs/firmware-update.md §13.
 */
import type { Flash } from "../../modules/platform/flash.js";
import { FirmwareSlotError, type FirmwareSlots, type RunningImage, type Trial } from "../../modules/platform/update.js";
import { FIRMWARE_VERSION, HARDWARE_MODEL } from "../../modules/version.js";

/** The running build as its JavaScript knows it; no bootloader checks a counter for it. */
export const BUILD_IMAGE: RunningImage = Object.freeze({ version: FIRMWARE_VERSION, securityCounter: 0, model: HARDWARE_MODEL, testBoot: false });

export function unavailableFirmwareSlots(image: RunningImage, reason: string): FirmwareSlots {
  const refuse = (): never => {
    throw new FirmwareSlotError(`firmware updates are unavailable: ${reason}`);
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

/**
 * Opens a board's slots; anything that goes wrong doing so leaves the board running without
 * updates, with the reason reported, instead of stopping it at boot.
 */
export function firmwareSlotsOrUnavailable(open: () => FirmwareSlots, report: (line: string) => void): FirmwareSlots {
  try {
    return open();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(`firmware slots: ${reason}`);
    return unavailableFirmwareSlots(BUILD_IMAGE, reason);
  }
}
