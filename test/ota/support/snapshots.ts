/** The data log partition and the configuration store of a board, to prove an update leaves them alone. */
import type { SimBoard } from "../../../hosts/sim/board.js";
import { deepEqual } from "../../support/assert.js";

export interface DataSnapshot {
  log: Uint8Array;
  storage: Record<string, Uint8Array>;
}

/** Fills part of the log and the store with content, as a logger in service has. */
export function fillData(board: SimBoard): void {
  const flash = board.flash;
  const pattern = Uint8Array.from({ length: flash.blockSize }, (_, i) => (i * 7 + 3) & 0xff);
  for (let block = 0; block < 4; block++) {
    flash.erase(block);
    flash.write(block * flash.blockSize, pattern);
  }
  board.storage.write("config", Uint8Array.from([1, 2, 3, 4]));
  board.storage.write("mqtt.pass", Uint8Array.from([9, 9, 9]));
}

export function snapshot(board: SimBoard): DataSnapshot {
  return { log: board.flash.image(), storage: board.storage.entries() };
}

export function assertUntouched(board: SimBoard, before: DataSnapshot, label: string): void {
  const now = snapshot(board);
  deepEqual(now.log.length, before.log.length, `${label}: log size`);
  let first = -1;
  for (let i = 0; i < now.log.length && first < 0; i++) if (now.log[i] !== before.log[i]) first = i;
  deepEqual(first, -1, `${label}: first changed log byte`);
  deepEqual(now.storage, before.storage, `${label}: configuration store`);
}
