/**
 * `platform.update` on the ESP32 (docs/firmware-update.md §13): the two OTA app partitions,
 * ESP-IDF's app rollback, a journal partition of its own and a record in NVS. Everything that
 * decides lives here and is tested on Node against a model of the IDF (test/hosts/fakes); the
 * board binding (hosts/esp32/firmware-slots.ts) only opens the partitions and the FFI calls.
 *
 * - The updater writes the image straight into the next update partition through the `flash`
 *   module: the agent downloads across sessions and resets, which `embedded:update` and the
 *   legacy `ota` module cannot resume (both erase the partition when they open it).
 * - markBootable checks what it can read (an app image for this chip, the version and security
 *   counter the image declares, its length), then esp_ota_set_boot_partition, which verifies the
 *   image again (digest, and signature under Secure Boot) and makes it the one to test-boot.
 * - confirm / reject are esp_ota_mark_app_valid_cancel_rollback /
 *   esp_ota_mark_app_invalid_rollback_and_reboot; the latter restarts at once, so the updater
 *   learns the outcome from lastTrial() at the next boot.
 */
import { FormatError } from "../../modules/codec/byte-reader.js";
import type { Flash } from "../../modules/platform/flash.js";
import type { KeyValueStore, ResetReason } from "../../modules/platform/platform.js";
import {
  FirmwareSlotError, type ExpectedImage, type FirmwareSlots, type RunningImage, type Trial,
} from "../../modules/platform/update.js";
import { readEspAppImage, type EspAppImage } from "./esp-app-image.js";
import { ESP_OK, espErrorName } from "./esp-error.js";
import { reconcileTrial } from "./esp-trial-state.js";
import { parseImageIdentity, type ImageIdentity } from "./image-identity.js";
import { decodeTrialRecord, encodeTrialRecord, FRESH_TRIAL_RECORD, type TrialRecord } from "./trial-record.js";

/** Which partition an app_update call is about. */
export type OtaPartition = "running" | "next";

/** ESP-IDF's app_update, as hosts/esp32/native/firmware-slots.c exposes it through FFI. */
export interface EspOta {
  /** OTA slot index (0 = ota_0) of the partition, -1 when it is not an OTA app partition. */
  slotIndex(partition: OtaPartition): number;
  /** esp_ota_img_states_t of the partition; Undefined when otadata has none. */
  imageState(partition: OtaPartition): number;
  /** esp_ota_set_boot_partition(next update partition): an esp_err_t. */
  setBootPartitionToNext(): number;
  markValid(): number;
  /**
   * Restarts the chip. It returns (an esp_err_t) only when the IDF refused, e.g.
   * ESP_ERR_OTA_ROLLBACK_FAILED on the first update after a blank otadata, which holds no entry
   * for the previous image; the running image is still PENDING_VERIFY then.
   */
  markInvalidAndReboot(): number;
}

export interface EspSlotParts {
  ota: EspOta;
  /** The running app partition (read only). */
  running: Flash;
  /** The next update partition: the inactive slot. */
  next: Flash;
  /** The updater's journal partition. */
  journal: Flash;
  /** The binding's own NVS namespace; never the configuration's. */
  records: KeyValueStore;
  resetReason: ResetReason;
  /** Hardware model of the board; ESP-IDF images carry only the chip. */
  model: string;
}

export const TRIAL_RECORD_KEY = "trial";

function identityOf(image: EspAppImage, where: string): ImageIdentity {
  const identity = parseImageIdentity(image.description.version);
  if (!identity) {
    throw new FirmwareSlotError(`${where} declares version "${image.description.version}", not "<major.minor.patch>+sc<counter>"`);
  }
  const secure = image.description.secureVersion;
  if (secure !== 0 && secure !== identity.securityCounter) {
    throw new FirmwareSlotError(`${where} has secure_version ${secure} but security counter ${identity.securityCounter}`);
  }
  return identity;
}

function readImage(flash: Flash, where: string): EspAppImage {
  try {
    return readEspAppImage((offset, length) => flash.read(offset, length), flash.byteLength);
  } catch (error) {
    if (error instanceof FormatError) throw new FirmwareSlotError(`${where} holds no ESP32 application image: ${error.message}`);
    throw error;
  }
}

function check(code: number, call: string): void {
  if (code !== ESP_OK) throw new FirmwareSlotError(`${call} failed: ${espErrorName(code)}`);
}

export class EspFirmwareSlots implements FirmwareSlots {
  readonly slotBytes: number;
  readonly journal: Flash;
  readonly #parts: EspSlotParts;
  readonly #runningSlot: number;
  readonly #nextSlot: number;
  readonly #chipId: number;
  readonly #identity: ImageIdentity;
  /** The bootloader started this image as PENDING_VERIFY. */
  readonly #testBoot: boolean;
  #record: TrialRecord;

  /** Throws FirmwareSlotError when the board cannot run trials; the binding then reports why. */
  constructor(parts: EspSlotParts) {
    this.#parts = parts;
    const { ota, journal } = parts;
    this.#runningSlot = ota.slotIndex("running");
    this.#nextSlot = ota.slotIndex("next");
    if (this.#runningSlot < 0 || this.#nextSlot < 0 || this.#runningSlot === this.#nextSlot) {
      throw new FirmwareSlotError("the partition table needs two OTA app partitions (ota_0, ota_1) and the image must run from one");
    }
    if (journal.byteLength < 2 * journal.blockSize) throw new FirmwareSlotError("the journal partition needs two erase blocks");
    const running = readImage(parts.running, "the running partition");
    this.#chipId = running.chipId;
    this.#identity = identityOf(running, "the running image");
    const stored = parts.records.read(TRIAL_RECORD_KEY);
    let record: TrialRecord = FRESH_TRIAL_RECORD;
    if (stored) {
      try {
        record = decodeTrialRecord(stored);
      } catch (error) {
        throw new FirmwareSlotError(`the trial record in NVS is unreadable (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    const decision = reconcileTrial(record, {
      runningSlot: this.#runningSlot,
      runningState: ota.imageState("running"),
      otherState: ota.imageState("next"),
      resetReason: parts.resetReason,
      runningCounter: this.#identity.securityCounter,
    });
    this.#testBoot = decision.testBoot;
    this.#record = record;
    this.#save(decision.record, stored);
    this.slotBytes = parts.next.byteLength;
    this.journal = journal;
  }

  running(): RunningImage {
    return { ...this.#identity, model: this.#parts.model, testBoot: this.#onTrial() };
  }

  lastTrial(): Trial {
    return { mark: this.#record.mark, outcome: this.#record.outcome };
  }

  securityFloor(): number {
    return this.#record.floor;
  }

  inactiveSlot(): Flash {
    if (this.#onTrial()) throw new FirmwareSlotError("the inactive slot holds the fallback image during a test boot");
    return this.#parts.next;
  }

  markBootable(expected: ExpectedImage): void {
    if (this.#onTrial()) throw new FirmwareSlotError("cannot mark a slot during a test boot");
    const image = readImage(this.#parts.next, "the inactive slot");
    if (image.chipId !== this.#chipId) throw new FirmwareSlotError(`the inactive slot's image is for chip ${image.chipId}, this is chip ${this.#chipId}`);
    const identity = identityOf(image, "the inactive slot's image");
    // The file may go on past the image with a Secure Boot signature sector (4 KiB aligned).
    const room = Math.ceil(image.byteLength / 4096) * 4096 + 4096;
    if (identity.version !== expected.version || identity.securityCounter !== expected.securityCounter ||
        expected.byteLength < image.byteLength || expected.byteLength > Math.min(room, this.slotBytes)) {
      throw new FirmwareSlotError(`the slot holds ${identity.version} (counter ${identity.securityCounter}, image of ${image.byteLength} bytes), ` +
        `not ${expected.version} (counter ${expected.securityCounter}, ${expected.byteLength} bytes)`);
    }
    if (identity.securityCounter < this.#record.floor) {
      throw new FirmwareSlotError(`security counter ${identity.securityCounter} is below the floor ${this.#record.floor}`);
    }
    check(this.#parts.ota.setBootPartitionToNext(), "esp_ota_set_boot_partition");
    this.#save({ ...this.#record, mark: this.#record.mark + 1, slot: this.#nextSlot, outcome: { kind: "pending" } });
  }

  confirm(): void {
    this.#requireTrial("confirm");
    check(this.#parts.ota.markValid(), "esp_ota_mark_app_valid_cancel_rollback");
    this.#save({ ...this.#record, outcome: { kind: "confirmed" }, floor: Math.max(this.#record.floor, this.#identity.securityCounter) });
  }

  reject(): void {
    this.#requireTrial("reject");
    // Recorded first: the IDF call restarts the chip and does not come back. When it does come
    // back, refused, the image is still PENDING_VERIFY, and the reset the updater makes next
    // has the bootloader abort it and start the previous image all the same.
    this.#save({ ...this.#record, outcome: { kind: "rolled-back", cause: "rejected" } });
    this.#parts.ota.markInvalidAndReboot();
  }

  #onTrial(): boolean {
    return this.#testBoot && this.#record.outcome.kind === "pending" && this.#record.slot === this.#runningSlot;
  }

  #requireTrial(what: string): void {
    if (!this.#onTrial()) throw new FirmwareSlotError(`${what}: the running image is not on trial`);
  }

  /** Writes the record unless NVS already holds exactly these bytes. */
  #save(record: TrialRecord, stored?: Uint8Array): void {
    const bytes = encodeTrialRecord(record);
    const same = stored !== undefined && stored.length === bytes.length && stored.every((byte, i) => byte === bytes[i]);
    if (!same) this.#parts.records.write(TRIAL_RECORD_KEY, bytes);
    this.#record = record;
  }
}

