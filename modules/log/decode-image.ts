/**
 * Decodes a whole log partition image without a device: what a host tool (`datalogger decode`)
 * shows. It reads exactly what mount would, and writes nothing.
 */
import type { UplinkRecord } from "../uplink/records.js";
import type { ByteSource } from "./frames.js";
import { logGeometry, type LogGeometry } from "./log-geometry.js";
import { readRecords } from "./log-reader.js";
import { inspectLog, type LogSnapshot } from "./log-state.js";

export interface DecodedLog {
  geometry: LogGeometry;
  state: LogSnapshot;
  /** Every record still stored, in order, with gaps for what is gone since the acknowledged cursor. */
  records: UplinkRecord[];
}

export function decodeLogImage(image: Uint8Array, layout: { blockSize: number; writeGranularity: number }): DecodedLog {
  const geometry = logGeometry({ byteLength: image.length, ...layout });
  const source: ByteSource = {
    read: (offset, byteLength) => {
      if (offset < 0 || offset + byteLength > image.length) throw new RangeError(`read ${offset}+${byteLength} outside the image`);
      return image.slice(offset, offset + byteLength);
    },
  };
  const state = inspectLog(source, geometry);
  const ring = state.ring;
  const records = ring ? readRecords(source, {
    geometry, tail: ring.tail, length: ring.length, tailFirstSeq: ring.tailFirstSeq, headFirstSeq: ring.headHeader.firstSeq,
    headEnd: state.headEnd, newestSeq: state.newestSeq, acked: state.acked, loss: state.loss,
  }, 1, Number.POSITIVE_INFINITY) : [];
  return { geometry, state, records };
}
