/**
 * An ESP32 as the firmware-slot binding sees it: the IDF model (esp-idf-ota.ts) with its two app
 * slots, the journal partition and NVS, booted again at every reset; and releases built as
 * ESP-IDF images that declare their version and security counter.
 */
import type { KeyValueStore, ResetReason } from "../../../modules/platform/platform.js";
import type { ExpectedImage } from "../../../modules/platform/update.js";
import { EspFirmwareSlots, type EspSlotParts } from "../../../hosts/moddable/esp-firmware-slots.js";
import { MemoryKeyValueStore } from "../../../hosts/sim/kv-store.js";
import { NorFlash, PowerCut } from "../../../hosts/sim/nor-flash.js";
import { buildEspAppImage, type EspImageOptions } from "./esp-app-image.js";
import { FakeEspIdf } from "./esp-idf-ota.js";

/** NVS as the binding sees it, where power can fail during the next write (nothing lands). */
export class CuttableStore implements KeyValueStore {
  readonly memory = new MemoryKeyValueStore();
  cutAtNextWrite = false;
  read(key: string) {
    return this.memory.read(key);
  }
  write(key: string, value: Uint8Array): void {
    if (this.cutAtNextWrite) {
      this.cutAtNextWrite = false;
      throw new PowerCut();
    }
    this.memory.write(key, value);
  }
  delete(key: string): void {
    this.memory.delete(key);
  }
  keys(): string[] {
    return this.memory.keys();
  }
}

export interface Release {
  image: Uint8Array;
  version: string;
  securityCounter: number;
}

export function release(version: string, securityCounter: number, options: Partial<EspImageOptions> = {}): Release {
  return { image: buildEspAppImage({ version: `${version}+sc${securityCounter}`, seed: securityCounter * 7 + version.length, ...options }), version, securityCounter };
}

export const expected = (r: Release): ExpectedImage => ({ byteLength: r.image.length, version: r.version, securityCounter: r.securityCounter });

export class EspBoard {
  readonly idf = new FakeEspIdf();
  readonly journal = new NorFlash({ blocks: 2 });
  readonly records = new CuttableStore();
  slots!: EspFirmwareSlots;

  constructor(factory: Release = release("0.1.0", 1)) {
    this.idf.program(0, factory.image);
    this.boot("power-on");
  }

  parts(resetReason: ResetReason): EspSlotParts {
    const { idf } = this;
    return {
      ota: idf.ota(), running: idf.slots[idf.running], next: idf.slots[1 - idf.running], journal: this.journal,
      records: this.records, resetReason, model: "DL-1",
    };
  }

  /** A reset: the bootloader picks the slot, the firmware opens its slots again. */
  boot(reason: ResetReason): EspFirmwareSlots {
    this.idf.boot();
    this.slots = new EspFirmwareSlots(this.parts(reason));
    return this.slots;
  }

  /** What the updater does before it marks: the image into the inactive slot, erased block by block. */
  download(r: Release): void {
    const slot = this.slots.inactiveSlot();
    for (let block = 0; block < Math.ceil(r.image.length / slot.blockSize); block++) slot.erase(block);
    slot.write(0, r.image);
  }

  install(r: Release): void {
    this.download(r);
    this.slots.markBootable(expected(r));
  }
}
