/**
 * A NOR flash chip in memory, faithful where the log's correctness depends on it: erase sets a
 * block to 0xFF, programming can only clear bits, writes must respect the write granularity, and
 * power can be cut in the middle of any program or erase, leaving the torn state a real chip can.
 */
import { FlashError, type Flash } from "../../modules/platform/flash.js";
import { SeededRandom } from "./seeded-random.js";

/**
 * What an interrupted operation leaves behind:
 * - "prefix": the first part of the operation landed, the rest did not (byte-serial programming);
 * - "bits": an arbitrary subset of the intended bit changes landed (cells part-way charged).
 * An interrupted erase under "bits" leaves a mix of old bits and ones.
 */
export type TornModel = "prefix" | "bits";
export const TORN_MODELS: readonly TornModel[] = ["prefix", "bits"];

/** Thrown by every flash operation from the moment power is cut until powerOn(). */
export class PowerCut extends Error {
  constructor() {
    super("power cut");
    this.name = "PowerCut";
  }
}

export interface NorFlashOptions {
  blocks: number;
  blockSize?: number;
  writeGranularity?: 1 | 4 | 16;
  /** Starting content, e.g. loaded from an image file; must be blocks * blockSize bytes. */
  image?: Uint8Array;
  /** Drives the torn models; seeded for reproducible power-cut tests. */
  random?: SeededRandom;
}

export interface FlashStats {
  programs: number;
  bytesProgrammed: number;
  erases: number;
  reads: number;
  bytesRead: number;
  /** Program and erase operations, the unit a power cut is scheduled in. */
  operations: number;
}

export class NorFlash implements Flash {
  readonly byteLength: number;
  readonly blockSize: number;
  readonly writeGranularity: number;
  readonly eraseCounts: Uint32Array;
  readonly stats: FlashStats = { programs: 0, bytesProgrammed: 0, erases: 0, reads: 0, bytesRead: 0, operations: 0 };
  readonly #cells: Uint8Array;
  readonly #random: SeededRandom;
  #cutAtOperation = 0;
  #cutModel: TornModel = "prefix";
  #powered = true;

  constructor(options: NorFlashOptions) {
    this.blockSize = options.blockSize ?? 4096;
    this.writeGranularity = options.writeGranularity ?? 1;
    this.byteLength = options.blocks * this.blockSize;
    this.eraseCounts = new Uint32Array(options.blocks);
    this.#random = options.random ?? new SeededRandom("nor-flash");
    if (options.image) {
      if (options.image.length !== this.byteLength) {
        throw new FlashError(`image is ${options.image.length} bytes, flash is ${this.byteLength}`);
      }
      this.#cells = options.image.slice();
    } else {
      this.#cells = new Uint8Array(this.byteLength).fill(0xff);
    }
  }

  get powered(): boolean {
    return this.#powered;
  }

  /** Cuts power during the `n`th program or erase from now (1 = the very next one). */
  armPowerCut(n: number, model: TornModel): void {
    if (!(n >= 1)) throw new RangeError("power cut must be armed at operation 1 or later");
    this.#cutAtOperation = this.stats.operations + n;
    this.#cutModel = model;
  }

  disarmPowerCut(): void {
    this.#cutAtOperation = 0;
  }

  /** Cuts power now, between operations. */
  cutPower(): void {
    this.#powered = false;
    this.#cutAtOperation = 0;
  }

  powerOn(): void {
    this.#powered = true;
  }

  /** A copy of the whole chip, for image files and byte-for-byte comparisons. */
  image(): Uint8Array {
    return this.#cells.slice();
  }

  read(offset: number, byteLength: number): Uint8Array {
    this.#checkPowered();
    this.#checkRange(offset, byteLength);
    this.stats.reads++;
    this.stats.bytesRead += byteLength;
    return this.#cells.slice(offset, offset + byteLength);
  }

  write(offset: number, data: Uint8Array): void {
    this.#checkPowered();
    this.#checkRange(offset, data.length);
    const unit = this.writeGranularity;
    if (offset % unit !== 0 || data.length % unit !== 0) {
      throw new FlashError(`program at ${offset}+${data.length} is not aligned to ${unit} bytes`);
    }
    for (let i = 0; i < data.length; i++) {
      if ((data[i] & ~this.#cells[offset + i] & 0xff) !== 0) {
        throw new FlashError(`program at ${offset + i} would set bits (0 -> 1); erase first`);
      }
    }
    this.stats.programs++;
    this.stats.bytesProgrammed += data.length;
    if (this.#isCutNow()) {
      this.#tearProgram(offset, data);
      this.#die();
    }
    for (let i = 0; i < data.length; i++) this.#cells[offset + i] &= data[i];
  }

  erase(block: number): void {
    this.#checkPowered();
    if (!Number.isInteger(block) || block < 0 || block >= this.eraseCounts.length) {
      throw new FlashError(`erase of block ${block} outside 0..${this.eraseCounts.length - 1}`);
    }
    this.stats.erases++;
    this.eraseCounts[block]++;
    const start = block * this.blockSize;
    if (this.#isCutNow()) {
      this.#tearErase(start);
      this.#die();
    }
    this.#cells.fill(0xff, start, start + this.blockSize);
  }

  #isCutNow(): boolean {
    this.stats.operations++;
    return this.#cutAtOperation !== 0 && this.stats.operations === this.#cutAtOperation;
  }

  #die(): never {
    this.#powered = false;
    this.#cutAtOperation = 0;
    throw new PowerCut();
  }

  #tearProgram(offset: number, data: Uint8Array): void {
    if (this.#cutModel === "prefix") {
      const landed = this.#random.below(data.length + 1);
      for (let i = 0; i < landed; i++) this.#cells[offset + i] &= data[i];
      return;
    }
    for (let i = 0; i < data.length; i++) {
      const clearing = ~data[i] & this.#cells[offset + i] & 0xff;
      const landed = clearing & this.#random.nextUint32();
      this.#cells[offset + i] &= ~landed & 0xff;
    }
  }

  #tearErase(start: number): void {
    if (this.#cutModel === "prefix") {
      const erased = this.#random.below(this.blockSize + 1);
      this.#cells.fill(0xff, start, start + erased);
      return;
    }
    for (let i = 0; i < this.blockSize; i++) {
      this.#cells[start + i] |= this.#random.nextUint32() & 0xff;
    }
  }

  #checkPowered(): void {
    if (!this.#powered) throw new PowerCut();
  }

  #checkRange(offset: number, byteLength: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(byteLength) || offset < 0 || byteLength < 0 ||
        offset + byteLength > this.byteLength) {
      throw new FlashError(`access ${offset}+${byteLength} outside flash of ${this.byteLength} bytes`);
    }
  }
}
