/**
 * The boards' Flash over Moddable's legacy `flash` partition, and KeyValueStore over
 * `embedded:storage/key-value`, against stand-ins that behave like the hardware underneath:
 * NOR programming ANDs bits in silently, and the stores take what the natives take.
 */
import { FlashError } from "../../modules/platform/flash.js";
import { BackendKeyValueStore, ESP32_KEY_VALUE_LIMITS, NRF52_KEY_VALUE_LIMITS, type KeyValueBackend } from "../../hosts/moddable/key-value.js";
import { PartitionFlash, type LegacyFlashPartition } from "../../hosts/moddable/partition-flash.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";

/** What `esp_partition_write` does: clears bits, never reports one that would have to be set. */
class NorPartition implements LegacyFlashPartition {
  readonly byteLength: number;
  readonly blockSize = 4096;
  readonly cells: Uint8Array;
  /** A cell that no longer programs: its bit 0 stays 1. */
  stuckAt: number | undefined;
  writes: Array<{ offset: number; byteLength: number }> = [];

  constructor(blocks: number) {
    this.byteLength = blocks * this.blockSize;
    this.cells = new Uint8Array(this.byteLength).fill(0xff);
  }

  read(offset: number, byteLength: number): ArrayBuffer {
    return this.cells.slice(offset, offset + byteLength).buffer;
  }

  write(offset: number, byteLength: number, buffer: ArrayBuffer): void {
    this.writes.push({ offset, byteLength });
    const data = new Uint8Array(buffer, 0, byteLength);
    for (let i = 0; i < byteLength; i++) {
      this.cells[offset + i] &= data[i];
      if (offset + i === this.stuckAt) this.cells[offset + i] |= 1;
    }
  }

  erase(sector: number): void {
    this.cells.fill(0xff, sector * this.blockSize, (sector + 1) * this.blockSize);
  }
}

class MapBackend implements KeyValueBackend {
  readonly entries = new Map<string, ArrayBuffer | string>();
  read(key: string) {
    return this.entries.get(key);
  }
  write(key: string, value: ArrayBuffer): void {
    this.entries.set(key, value.slice(0));
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.entries.keys();
  }
}

const plaintext = { writeGranularity: 4, erasedReadsAsOnes: true };

export const cases: TestCase[] = [
  {
    name: "flash reads come back as Uint8Array, and a view into a larger buffer is written from its own offset",
    run() {
      const chip = new NorPartition(4);
      const flash = new PartitionFlash(chip, plaintext);
      const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
      flash.write(8, backing.subarray(16, 24));
      const back = flash.read(8, 8);
      ok(back instanceof Uint8Array, "Uint8Array");
      deepEqual(back, Uint8Array.from([16, 17, 18, 19, 20, 21, 22, 23]));
      equal(flash.byteLength, 4 * 4096);
      equal(flash.blockSize, 4096);
    },
  },
  {
    name: "a program that would set a bit is refused before it reaches the chip; erase makes it possible",
    run() {
      const chip = new NorPartition(2);
      const flash = new PartitionFlash(chip, plaintext);
      flash.write(0, Uint8Array.of(0x0f, 0xff, 0xff, 0xff));
      const writes = chip.writes.length;
      throws(() => flash.write(0, Uint8Array.of(0xf0, 0xff, 0xff, 0xff)), FlashError);
      equal(chip.writes.length, writes);
      equal(chip.cells[0], 0x0f);
      flash.write(0, Uint8Array.of(0x03, 0xff, 0xff, 0xff));
      flash.erase(0);
      flash.write(0, Uint8Array.of(0xf0, 0xff, 0xff, 0xff));
      equal(flash.read(0, 1)[0], 0xf0);
    },
  },
  {
    name: "misaligned, out-of-range and bad-block requests are clear FlashErrors",
    run() {
      const flash = new PartitionFlash(new NorPartition(2), plaintext);
      throws(() => flash.write(2, new Uint8Array(4)), /not aligned to 4 bytes/);
      throws(() => flash.write(0, new Uint8Array(6)), /not aligned to 4 bytes/);
      throws(() => flash.read(8190, 4), /outside flash of 8192 bytes/);
      throws(() => flash.erase(2), /erase of block 2 outside 0\.\.1/);
      throws(() => flash.erase(0.5), FlashError);
      const empty = new NorPartition(1);
      const missing: LegacyFlashPartition = { byteLength: 0, blockSize: 4096, read: (o, n) => empty.read(o, n), write: () => undefined, erase: () => undefined };
      throws(() => new PartitionFlash(missing, plaintext), /empty/);
    },
  },
  {
    name: "a cell that does not program is caught by the read-back",
    run() {
      const chip = new NorPartition(1);
      chip.stuckAt = 6;
      const flash = new PartitionFlash(chip, plaintext);
      throws(() => flash.write(4, Uint8Array.of(0, 0, 0, 0)), /program at 6 did not verify/);
    },
  },
  {
    name: "an encrypted partition is written in 16-byte units without the erased-bits check",
    run() {
      const chip = new NorPartition(1);
      chip.cells.fill(0x5a);
      const flash = new PartitionFlash(chip, { writeGranularity: 16, erasedReadsAsOnes: false });
      throws(() => flash.write(0, new Uint8Array(4)), /not aligned to 16 bytes/);
      flash.write(16, new Uint8Array(16).fill(0x50));
      equal(flash.read(16, 1)[0], 0x50);
    },
  },
  {
    name: "key-value: bytes round-trip, keys come sorted, and the NVS key limit applies",
    run() {
      const backend = new MapBackend();
      const store = new BackendKeyValueStore(backend, ESP32_KEY_VALUE_LIMITS);
      store.write("zeta", Uint8Array.of(1));
      store.write("alpha", Uint8Array.of(2, 3));
      deepEqual(store.read("alpha"), Uint8Array.of(2, 3));
      deepEqual(store.keys(), ["alpha", "zeta"]);
      equal(store.read("missing"), undefined);
      store.delete("zeta");
      deepEqual(store.keys(), ["alpha"]);
      throws(() => store.write("sixteen-chars-xx", Uint8Array.of(1)), /key "sixteen-chars-xx" must be 1\.\.15 characters/);
      throws(() => store.read(""), /must be 1\.\.15/);
    },
  },
  {
    name: "key-value: nRF52 refuses values over 63 bytes by name, and a non-bytes stored value is an error",
    run() {
      const backend = new MapBackend();
      const store = new BackendKeyValueStore(backend, NRF52_KEY_VALUE_LIMITS);
      store.write("ok", new Uint8Array(63));
      throws(() => store.write("config", new Uint8Array(64)), /value of "config" is 64 bytes; this board stores at most 63/);
      backend.entries.set("legacy", "text");
      throws(() => store.read("legacy"), /stored value of "legacy" is not bytes/);
    },
  },
];
