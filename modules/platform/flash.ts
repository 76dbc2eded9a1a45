/**
 * NOR flash partition, shaped after Moddable's `flash` module (`erase`, `read`, `write`,
 * `byteLength`, `blockSize`). Programming can only clear bits; erase sets a block to 0xFF.
 */
export interface Flash {
  /** Total bytes of the partition, a multiple of blockSize. */
  readonly byteLength: number;
  /** Erase unit in bytes (4096 on the boards we support). */
  readonly blockSize: number;
  /**
   * Smallest programmable unit: offsets and lengths of `write` must be multiples of it.
   * 16 where ESP32 flash encryption is on, otherwise 1 or 4.
   */
  readonly writeGranularity: number;
  read(offset: number, byteLength: number): Uint8Array;
  /** Programs bytes; a 1 bit where the flash holds 0 is an error (NOR cannot set bits). */
  write(offset: number, data: Uint8Array): void;
  /** Erases block number `block` (not a byte offset). */
  erase(block: number): void;
}

export class FlashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlashError";
  }
}
