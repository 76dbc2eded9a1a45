/** A partition of Moddable's legacy `flash` module, as the platform's Flash (hosts/moddable/partition-flash.ts). */
import Flash from "flash";
import { PartitionFlash, type LegacyFlashPartition, type PartitionFlashOptions } from "../partition-flash.js";

/**
 * `name` is a data partition's label, or on ESP32 `"running"` / `"nextota"` for the running and
 * the next update app partitions (modules/files/flash/esp32).
 */
export function openPartitionFlash(name: string, options: PartitionFlashOptions): PartitionFlash {
  const partition = new Flash(name);
  const legacy: LegacyFlashPartition = {
    byteLength: partition.byteLength,
    blockSize: partition.blockSize,
    // Without its third argument `read` returns an ArrayBuffer, never a HostBuffer.
    read: (offset, byteLength) => partition.read(offset, byteLength) as ArrayBuffer,
    write: (offset, byteLength, buffer) => partition.write(offset, byteLength, buffer),
    erase: (sector) => partition.erase(sector),
  };
  return new PartitionFlash(legacy, options);
}
