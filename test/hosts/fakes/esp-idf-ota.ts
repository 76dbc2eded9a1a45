/**
 * ESP-IDF's OTA machinery with CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE, as app_update
 * (esp_ota_ops.c) and the second-stage bootloader (bootloader_utility.c) behave, for testing the
 * ESP32 firmware-slot binding on Node: two app slots (ota_0, ota_1) and the two otadata sectors,
 * each holding a sequence number and an image state. No factory partition, no anti-rollback.
 *
 * - set_boot_partition verifies the image (here: its structure and appended SHA-256) and writes
 *   the next sequence number for the slot into the sector not holding the active entry, as NEW;
 * - at a reset the bootloader turns every PENDING_VERIFY into ABORTED, takes the valid entry
 *   (not INVALID/ABORTED) with the highest sequence number, turns NEW into PENDING_VERIFY, and
 *   starts that slot, or, when its image does not verify, the other one whatever its state;
 * - mark valid / mark invalid rewrite the active entry; mark invalid refuses when no other entry
 *   is valid (the first update after a blank otadata) and otherwise asks for a restart.
 */
import { sha256 } from "../../../modules/crypto/sha256.js";
import { readEspAppImage } from "../../../hosts/moddable/esp-app-image.js";
import type { EspOta, OtaPartition } from "../../../hosts/moddable/esp-firmware-slots.js";
import { OtaImageState } from "../../../hosts/moddable/esp-trial-state.js";
import { NorFlash } from "../../../hosts/sim/nor-flash.js";

const ESP_FAIL = -1;
const ESP_ERR_OTA_VALIDATE_FAILED = 0x1503;
const ESP_ERR_OTA_ROLLBACK_FAILED = 0x1505;

export interface OtadataEntry {
  seq: number;
  state: number;
}

export class FakeEspIdf {
  readonly slots: readonly NorFlash[];
  /** The two otadata sectors; undefined while erased. */
  readonly otadata: Array<OtadataEntry | undefined> = [undefined, undefined];
  /** The slot the last boot started. */
  running = 0;
  /** The application asked for a restart (mark invalid). */
  restartRequested = false;
  readonly calls: string[] = [];

  constructor(slotBlocks = 16) {
    this.slots = [new NorFlash({ blocks: slotBlocks }), new NorFlash({ blocks: slotBlocks })];
  }

  /** What esptool does at the factory: erases the slot and writes the image at its start. */
  program(slot: number, image: Uint8Array): void {
    const flash = this.slots[slot];
    for (let block = 0; block < Math.ceil(image.length / flash.blockSize); block++) flash.erase(block);
    flash.write(0, image);
  }

  /** The image's structure, and its appended digest over everything before it. */
  verifies(slot: number): boolean {
    const flash = this.slots[slot];
    try {
      const image = readEspAppImage((offset, length) => flash.read(offset, length), flash.byteLength);
      const bytes = flash.read(0, image.byteLength);
      const digest = sha256(bytes.subarray(0, image.byteLength - 32));
      return digest.every((byte, i) => byte === bytes[image.byteLength - 32 + i]);
    } catch {
      return false;
    }
  }

  /** The bootloader after a reset; returns the slot started. */
  boot(): number {
    this.restartRequested = false;
    for (const entry of this.otadata) {
      if (entry && entry.state === OtaImageState.PendingVerify) entry.state = OtaImageState.Aborted;
    }
    const active = this.#active();
    let start = 0;
    if (active !== undefined) {
      const entry = this.otadata[active]!;
      start = this.#slotOf(entry.seq);
      if (entry.state === OtaImageState.New) entry.state = OtaImageState.PendingVerify;
    }
    for (const slot of [start, 1 - start]) {
      if (this.verifies(slot)) {
        this.running = slot;
        return slot;
      }
    }
    throw new Error("no bootable app partition");
  }

  /** The app_update calls of the image that runs now, as hosts/esp32/firmware-slots.ts makes them. */
  ota(): EspOta {
    const slotOf = (partition: OtaPartition) => (partition === "running" ? this.running : 1 - this.running);
    return {
      slotIndex: (partition) => slotOf(partition),
      imageState: (partition) => {
        const slot = slotOf(partition);
        const entry = this.otadata.find((e) => e !== undefined && this.#slotOf(e.seq) === slot);
        return entry ? entry.state : OtaImageState.Undefined;
      },
      setBootPartitionToNext: () => {
        this.calls.push("set_boot_partition");
        const target = 1 - this.running;
        if (!this.verifies(target)) return ESP_ERR_OTA_VALIDATE_FAILED;
        const active = this.#active();
        if (active === undefined) {
          this.otadata[0] = { seq: target + 1, state: OtaImageState.New };
          return 0;
        }
        const seq = this.otadata[active]!.seq;
        let i = 0;
        while (seq > ((target + 1) % 2) + i * 2) i++;
        this.otadata[1 - active] = { seq: ((target + 1) % 2) + i * 2, state: OtaImageState.New };
        return 0;
      },
      markValid: () => {
        this.calls.push("mark_valid");
        const active = this.#active();
        if (active === undefined) return ESP_FAIL;
        this.otadata[active]!.state = OtaImageState.Valid;
        return 0;
      },
      markInvalidAndReboot: () => {
        this.calls.push("mark_invalid");
        const active = this.#active();
        if (active === undefined) return ESP_FAIL;
        const other = this.otadata[1 - active];
        if (!other || !this.#valid(other) || !this.verifies(this.#slotOf(other.seq))) return ESP_ERR_OTA_ROLLBACK_FAILED;
        this.otadata[active]!.state = OtaImageState.Invalid;
        this.restartRequested = true;
        return 0;
      },
    };
  }

  #slotOf(seq: number): number {
    return (seq - 1) % 2;
  }

  #valid(entry: OtadataEntry): boolean {
    return entry.state !== OtaImageState.Invalid && entry.state !== OtaImageState.Aborted;
  }

  /** The valid entry with the highest sequence number (sector 0 on a tie). */
  #active(): number | undefined {
    let best: number | undefined;
    for (let i = 0; i < 2; i++) {
      const entry = this.otadata[i];
      if (entry && this.#valid(entry) && (best === undefined || entry.seq > this.otadata[best]!.seq)) best = i;
    }
    return best;
  }
}
