/**
 * The simulated bootloader's state record (docs/firmware-update.md "Simulated bootloader"), kept
 * like ESP-IDF's otadata: two erase blocks written alternately, each holding one record with a
 * sequence number and a CRC, so that a power cut while writing one leaves the other. The valid
 * record with the higher sequence number is the state. One encoder, one decoder.
 */
import { crc32 } from "../../../modules/codec/crc32.js";
import type { Flash } from "../../../modules/platform/flash.js";
import type { TrialOutcome } from "../../../modules/platform/update.js";
import { trialOutcomeCode, trialOutcomeOf } from "../../../modules/ota/history-codec.js";

const MAGIC = [0x44, 0x4c, 0x42, 0x53]; // "DLBS"
export const BOOT_STATE_BYTES = 24;
export const NO_SLOT = 0xff;

export interface BootState {
  seq: number;
  /** The confirmed slot. */
  active: number;
  /** The slot to test-boot, or NO_SLOT. */
  pending: number;
  /** Test boots of the pending slot started so far. */
  attempts: number;
  /** markBootable calls so far; the current trial's number. */
  mark: number;
  outcome: TrialOutcome;
  securityFloor: number;
}

export function encodeBootState(state: BootState): Uint8Array {
  const bytes = new Uint8Array(BOOT_STATE_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(4, state.seq >>> 0, true);
  bytes[8] = state.active;
  bytes[9] = state.pending;
  bytes[10] = state.attempts;
  bytes[11] = trialOutcomeCode(state.outcome);
  view.setUint32(12, state.securityFloor >>> 0, true);
  view.setUint32(16, state.mark >>> 0, true);
  view.setUint32(20, crc32(bytes, 0, 20), true);
  return bytes;
}

/** Undefined for anything but an intact record (erased, torn, foreign). */
export function decodeBootState(bytes: Uint8Array): BootState | undefined {
  if (bytes.length < BOOT_STATE_BYTES || MAGIC.some((byte, i) => bytes[i] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  if (view.getUint32(20, true) !== crc32(bytes, 0, 20)) return undefined;
  const outcome = trialOutcomeOf(bytes[11]);
  const slotOk = (slot: number) => slot === 0 || slot === 1;
  if (!outcome || !slotOk(bytes[8]) || !(slotOk(bytes[9]) || bytes[9] === NO_SLOT)) return undefined;
  return {
    seq: view.getUint32(4, true), active: bytes[8], pending: bytes[9], attempts: bytes[10], outcome,
    securityFloor: view.getUint32(12, true), mark: view.getUint32(16, true),
  };
}

/** Reads and writes the record in blocks 0 and 1 of `flash`. */
export class BootStateStore {
  readonly #flash: Flash;

  constructor(flash: Flash) {
    this.#flash = flash;
  }

  read(): BootState | undefined {
    let best: BootState | undefined;
    for (let block = 0; block < 2; block++) {
      const state = decodeBootState(this.#flash.read(block * this.#flash.blockSize, BOOT_STATE_BYTES));
      if (state && (!best || state.seq > best.seq)) best = state;
    }
    return best;
  }

  /** Writes `state` with the next sequence number into the block that does not hold the newest record. */
  write(state: BootState): BootState {
    const current = this.read();
    const next = { ...state, seq: (current ? current.seq : 0) + 1 };
    const block = next.seq % 2;
    this.#flash.erase(block);
    const unit = this.#flash.writeGranularity;
    const record = new Uint8Array(Math.ceil(BOOT_STATE_BYTES / unit) * unit).fill(0xff);
    record.set(encodeBootState(next));
    this.#flash.write(block * this.#flash.blockSize, record);
    return next;
  }
}
