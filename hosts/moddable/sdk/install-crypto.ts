/**
 * Gives @noble/* the `crypto.getRandomValues` they look up at call time, backed by the board's
 * random source. The SDK has no `crypto` global at all.
 */
import type { Random } from "../../../modules/platform/platform.js";

export function installCrypto(random: Random): void {
  (globalThis as { crypto?: unknown }).crypto = Object.freeze({
    getRandomValues: <T extends ArrayBufferView>(view: T): T => {
      random.getRandomValues(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      return view;
    },
  });
}
