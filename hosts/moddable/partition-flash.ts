/**
 * The platform's Flash over a partition object of Moddable's legacy `flash` module
 * (`new Flash("log")` on ESP32, `new Flash("storage")` on nRF52).
 *
 * The module itself checks little (ESP32 relies on `esp_partition_*` errors) and real NOR never
 * reports a write that tried to set bits: the program silently leaves the AND of old and new. So
 * this adapter enforces the contract the simulated NorFlash enforces, and reads every program
 * back, so that a failing cell shows up as an error at the write instead of as a corrupt record
 * found at the next boot.
 */
import { FlashError, type Flash } from "../../modules/platform/flash.js";

/** What the firmware uses of a legacy `flash` partition object. */
export interface LegacyFlashPartition {
  readonly byteLength: number;
  readonly blockSize: number;
  read(offset: number, byteLength: number): ArrayBuffer;
  write(offset: number, byteLength: number, buffer: ArrayBuffer): void;
  erase(sector: number): void;
}

export interface PartitionFlashOptions {
  /** Smallest programmable unit the log must respect (see docs/hardware.md, "Flash"). */
  writeGranularity: number;
  /**
   * False for a partition read through a decrypting path (ESP32 flash encryption): erased cells
   * then read as noise, so the "never set a bit" check cannot be made before a write.
   */
  erasedReadsAsOnes: boolean;
}

export class PartitionFlash implements Flash {
  readonly byteLength: number;
  readonly blockSize: number;
  readonly writeGranularity: number;
  readonly #partition: LegacyFlashPartition;
  readonly #checkBits: boolean;

  constructor(partition: LegacyFlashPartition, options: PartitionFlashOptions) {
    if (!(partition.byteLength > 0)) throw new FlashError("flash partition is empty: check the partition table");
    if (partition.byteLength % partition.blockSize !== 0) {
      throw new FlashError(`flash partition of ${partition.byteLength} bytes is not a whole number of ${partition.blockSize}-byte blocks`);
    }
    this.#partition = partition;
    this.byteLength = partition.byteLength;
    this.blockSize = partition.blockSize;
    this.writeGranularity = options.writeGranularity;
    this.#checkBits = options.erasedReadsAsOnes;
  }

  read(offset: number, byteLength: number): Uint8Array {
    this.#checkRange("read", offset, byteLength);
    if (byteLength === 0) return new Uint8Array(0);
    return new Uint8Array(this.#partition.read(offset, byteLength));
  }

  write(offset: number, data: Uint8Array): void {
    this.#checkRange("program", offset, data.length);
    const unit = this.writeGranularity;
    if (offset % unit !== 0 || data.length % unit !== 0) {
      throw new FlashError(`program at ${offset}+${data.length} is not aligned to ${unit} bytes`);
    }
    if (data.length === 0) return;
    if (this.#checkBits) {
      const before = this.read(offset, data.length);
      for (let i = 0; i < data.length; i++) {
        if ((before[i] & data[i]) !== data[i]) throw new FlashError(`program at ${offset + i} would set bits (0 -> 1); erase first`);
      }
    }
    // The module takes (offset, byteLength, buffer) and reads from the buffer's start, so a view
    // into a larger buffer is copied to its own.
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    this.#partition.write(offset, data.length, (whole ? data : data.slice()).buffer as ArrayBuffer);
    const landed = this.read(offset, data.length);
    for (let i = 0; i < data.length; i++) {
      if (landed[i] !== data[i]) throw new FlashError(`program at ${offset + i} did not verify (wrote ${data[i]}, read ${landed[i]})`);
    }
  }

  erase(block: number): void {
    const blocks = this.byteLength / this.blockSize;
    if (!Number.isInteger(block) || block < 0 || block >= blocks) {
      throw new FlashError(`erase of block ${block} outside 0..${blocks - 1}`);
    }
    this.#partition.erase(block);
  }

  #checkRange(what: string, offset: number, byteLength: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(byteLength) || offset < 0 || byteLength < 0 || offset + byteLength > this.byteLength) {
      throw new FlashError(`${what} ${offset}+${byteLength} outside flash of ${this.byteLength} bytes`);
    }
  }
}
