/**
 * Keeps the journal state in two erase blocks of the updater's flash area, so that a power cut
 * at any moment leaves either the previous state or the new one (docs/firmware-update.md
 * "Journal"). Records are appended to the current block; when it is full, or its tail is not
 * clean after a torn write, the other block is erased and takes the next record. The valid record
 * with the highest sequence number is the state.
 */
import { crc32 } from "../codec/crc32.js";
import type { Flash } from "../platform/flash.js";
import { decodeJournalState, encodeJournalState, type JournalState } from "./journal-state.js";

const MAGIC = [0x44, 0x4c, 0x55, 0x4a]; // "DLUJ"
const HEADER_BYTES = 12;
const CRC_BYTES = 4;
const BLOCKS = 2;

interface Found {
  seq: number;
  block: number;
  body: Uint8Array;
}

interface BlockScan {
  records: Found[];
  /** Offset just after the last valid record. */
  end: number;
  /** Everything from `end` to the end of the block is erased. */
  clean: boolean;
}

function u32At(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset, true);
}

export class JournalStore {
  readonly #flash: Flash;
  #block: number | undefined;
  #end = 0;
  #clean = false;
  #seq = 0;

  constructor(flash: Flash) {
    if (flash.byteLength < BLOCKS * flash.blockSize) throw new RangeError("the journal needs two erase blocks");
    this.#flash = flash;
  }

  /** Reads the newest state; an empty journal (or one with no valid record) is an idle state without history. */
  load(): JournalState {
    const scans: BlockScan[] = [];
    for (let block = 0; block < BLOCKS; block++) scans.push(this.#scan(block));
    const found = scans[0].records.concat(scans[1].records).sort((a, b) => b.seq - a.seq);
    this.#block = undefined;
    this.#seq = found.length ? found[0].seq : 0;
    for (const record of found) {
      let state: JournalState;
      try {
        state = decodeJournalState(record.body);
      } catch {
        continue; // a record from an unknown format: older valid ones still count
      }
      // Appending goes after the block's last record; when that is not the one in use, the next
      // save moves to the other block, leaving this record intact until a newer one is written.
      const scan = scans[record.block];
      this.#block = record.block;
      this.#end = scan.end;
      this.#clean = scan.clean && scan.records[scan.records.length - 1] === record;
      return state;
    }
    return { history: [] };
  }

  save(state: JournalState): void {
    const record = this.#frame(this.#seq + 1, encodeJournalState(state));
    const flash = this.#flash;
    if (record.length > flash.blockSize) throw new RangeError(`journal record of ${record.length} bytes exceeds a block`);
    if (this.#block === undefined || !this.#clean || this.#end + record.length > flash.blockSize) {
      const next = this.#block === undefined ? 0 : (this.#block + 1) % BLOCKS;
      flash.erase(next);
      this.#block = next;
      this.#end = 0;
      this.#clean = true;
    }
    flash.write(this.#block * flash.blockSize + this.#end, record);
    this.#end += record.length;
    this.#seq++;
  }

  #frame(seq: number, body: Uint8Array): Uint8Array {
    const unit = this.#flash.writeGranularity;
    const length = HEADER_BYTES + body.length + CRC_BYTES;
    const record = new Uint8Array(Math.ceil(length / unit) * unit).fill(0xff);
    const view = new DataView(record.buffer);
    record.set(MAGIC, 0);
    view.setUint32(4, seq >>> 0, true);
    view.setUint32(8, body.length, true);
    record.set(body, HEADER_BYTES);
    view.setUint32(HEADER_BYTES + body.length, crc32(record, 4, HEADER_BYTES + body.length), true);
    return record;
  }

  #scan(block: number): BlockScan {
    const size = this.#flash.blockSize;
    const unit = this.#flash.writeGranularity;
    const bytes = this.#flash.read(block * size, size);
    const records: Found[] = [];
    let offset = 0;
    while (offset + HEADER_BYTES + CRC_BYTES <= size && MAGIC.every((byte, i) => bytes[offset + i] === byte)) {
      const length = u32At(bytes, offset + 8);
      const crcAt = offset + HEADER_BYTES + length;
      if (length > size || crcAt + CRC_BYTES > size) break;
      if (crc32(bytes, offset + 4, crcAt) !== u32At(bytes, crcAt)) break;
      records.push({ seq: u32At(bytes, offset + 4), block, body: bytes.slice(offset + HEADER_BYTES, crcAt) });
      offset += Math.ceil((HEADER_BYTES + length + CRC_BYTES) / unit) * unit;
    }
    let clean = true;
    for (let i = offset; i < size && clean; i++) clean = bytes[i] === 0xff;
    return { records, end: offset, clean };
  }
}
