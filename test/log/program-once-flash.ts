/**
 * A flash wrapper for the power-cut runs that holds the log to the strictest program rule, the one
 * ESP32 flash encryption imposes: every program goes to fully erased units, never over bytes a
 * previous (possibly torn) program touched. NorFlash alone allows clearing more bits.
 */
import type { Flash } from "../../modules/platform/flash.js";
import { ERASED_BYTE } from "../../modules/log/frames.js";

export class ProgramOnceFlash implements Flash {
  constructor(private readonly inner: Flash, private readonly onViolation: (message: string) => void) {}

  get byteLength(): number {
    return this.inner.byteLength;
  }

  get blockSize(): number {
    return this.inner.blockSize;
  }

  get writeGranularity(): number {
    return this.inner.writeGranularity;
  }

  read(offset: number, byteLength: number): Uint8Array {
    return this.inner.read(offset, byteLength);
  }

  write(offset: number, data: Uint8Array): void {
    if (this.inner.read(offset, data.length).some((byte) => byte !== ERASED_BYTE)) {
      this.onViolation(`program at ${offset}+${data.length} over bytes that are not erased`);
    }
    this.inner.write(offset, data);
  }

  erase(block: number): void {
    this.inner.erase(block);
  }
}
