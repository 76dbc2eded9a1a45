/**
 * Fetches an image into the inactive slot chunk by chunk, for as long as a session's time budget
 * allows. Chunks are whole erase blocks at block-aligned offsets: a chunk's blocks are erased and
 * programmed afresh each time it is fetched, so resuming after a cut at any point only repeats
 * the chunk that was in flight. The caller records each finished chunk in the journal.
 */
import type { Clock } from "../platform/clock.js";
import type { Flash } from "../platform/flash.js";
import type { ImageSource } from "./image-source.js";

export interface DownloadPlan {
  slot: Flash;
  source: ImageSource;
  url: string;
  /** Image size from the manifest. */
  size: number;
  /** A multiple of the slot's block size. */
  chunkBytes: number;
  /** Bytes already in the slot; a multiple of chunkBytes. */
  written: number;
  /** Time allowed from now, in ms. */
  budgetMs: number;
  /** Assumed duration of the first chunk, before one has been timed. */
  firstChunkEstimateMs: number;
}

export type DownloadStop =
  | { kind: "complete" }
  | { kind: "budget" }
  | { kind: "fetch-failed"; error: string }
  | { kind: "truncated"; message: string }
  | { kind: "oversized"; message: string };

export function checkChunkBytes(chunkBytes: number, slot: Flash): void {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0 || chunkBytes % slot.blockSize !== 0) {
    throw new RangeError(`chunk of ${chunkBytes} bytes is not a whole number of ${slot.blockSize}-byte blocks`);
  }
}

/** Erases the chunk's blocks and programs its bytes, padded with 0xFF to the write granularity. */
function writeChunk(slot: Flash, offset: number, bytes: Uint8Array): void {
  const firstBlock = offset / slot.blockSize;
  const blocks = Math.ceil(bytes.length / slot.blockSize);
  for (let block = firstBlock; block < firstBlock + blocks; block++) slot.erase(block);
  const unit = slot.writeGranularity;
  const padded = bytes.length % unit === 0 ? bytes : new Uint8Array(Math.ceil(bytes.length / unit) * unit).fill(0xff);
  if (padded !== bytes) padded.set(bytes);
  slot.write(offset, padded);
}

/** Runs chunks until the image is complete, the budget is spent or a fetch fails; `onChunk` after each. */
export function downloadChunks(plan: DownloadPlan, clock: Clock, onChunk: (written: number) => void, done: (stop: DownloadStop) => void): void {
  checkChunkBytes(plan.chunkBytes, plan.slot);
  const startedAt = clock.monotonic();
  let written = plan.written;
  let estimateMs = plan.firstChunkEstimateMs;
  const next = (): void => {
    if (written >= plan.size) return done({ kind: "complete" });
    const elapsed = clock.monotonic() - startedAt;
    if (elapsed + estimateMs > plan.budgetMs) return done({ kind: "budget" });
    const offset = written;
    const length = Math.min(plan.chunkBytes, plan.size - offset);
    const chunkStart = clock.monotonic();
    plan.source.fetchRange(plan.url, offset, length, (result) => {
      if (!result.ok) {
        if (result.beyondEnd) return done({ kind: "truncated", message: `no bytes at ${offset}: ${result.error}` });
        return done({ kind: "fetch-failed", error: result.error });
      }
      const total = result.totalLength;
      if ((total !== undefined && total > plan.size) || result.bytes.length > length) {
        return done({ kind: "oversized", message: `server has ${total ?? "more"} bytes, the manifest says ${plan.size}` });
      }
      if ((total !== undefined && total < plan.size) || result.bytes.length < length) {
        return done({ kind: "truncated", message: `server has ${total ?? offset + result.bytes.length} bytes, the manifest says ${plan.size}` });
      }
      writeChunk(plan.slot, offset, result.bytes);
      written = offset + length;
      estimateMs = clock.monotonic() - chunkStart;
      onChunk(written);
      next();
    });
  };
  next();
}
