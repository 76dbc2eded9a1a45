/** A run of whole blocks of a NorFlash seen as a partition of its own (a slot, the boot state, the journal). */
import { FlashError, type Flash } from "../../../modules/platform/flash.js";
import type { NorFlash } from "../nor-flash.js";

export class FlashRegion implements Flash {
  readonly byteLength: number;
  readonly blockSize: number;
  readonly writeGranularity: number;
  readonly #flash: NorFlash;
  readonly #firstBlock: number;
  readonly #blocks: number;

  constructor(flash: NorFlash, firstBlock: number, blocks: number) {
    if (firstBlock < 0 || blocks < 1 || (firstBlock + blocks) * flash.blockSize > flash.byteLength) {
      throw new RangeError(`region of blocks ${firstBlock}..${firstBlock + blocks - 1} is outside the flash`);
    }
    this.#flash = flash;
    this.#firstBlock = firstBlock;
    this.#blocks = blocks;
    this.blockSize = flash.blockSize;
    this.writeGranularity = flash.writeGranularity;
    this.byteLength = blocks * flash.blockSize;
  }

  read(offset: number, byteLength: number): Uint8Array {
    this.#check(offset, byteLength);
    return this.#flash.read(this.#firstBlock * this.blockSize + offset, byteLength);
  }

  write(offset: number, data: Uint8Array): void {
    this.#check(offset, data.length);
    this.#flash.write(this.#firstBlock * this.blockSize + offset, data);
  }

  erase(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block >= this.#blocks) {
      throw new FlashError(`erase of block ${block} outside 0..${this.#blocks - 1}`);
    }
    this.#flash.erase(this.#firstBlock + block);
  }

  #check(offset: number, byteLength: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(byteLength) || offset < 0 || byteLength < 0 || offset + byteLength > this.byteLength) {
      throw new FlashError(`access ${offset}+${byteLength} outside region of ${this.byteLength} bytes`);
    }
  }
}
