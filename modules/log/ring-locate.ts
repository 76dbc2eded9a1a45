/**
 * Finds the ring from sector headers alone, in one pass with constant RAM: the head is the valid
 * header with the highest sector sequence; the ring is the run of sectors before it (wrapping
 * around the partition) whose sequences count up by one. Anything else is free space.
 */
import type { SectorHeader } from "./frame-bodies.js";
import type { ByteSource } from "./frames.js";
import type { LogGeometry } from "./log-geometry.js";
import { readSectorHeader } from "./sector-reader.js";

export interface RingLocation {
  head: number;
  headHeader: SectorHeader;
  tail: number;
  tailFirstSeq: number;
  /** Sectors from tail to head inclusive. */
  length: number;
}

interface Run {
  start: number;
  startFirstSeq: number;
}

export function locateRing(source: ByteSource, geometry: LogGeometry): RingLocation | undefined {
  const sectors = geometry.sectors;
  let run: Run = { start: 0, startFirstSeq: 0 };
  let previous: SectorHeader | undefined;
  let first: SectorHeader | undefined;
  let best: { index: number; header: SectorHeader; run: Run } | undefined;
  for (let sector = 0; sector < sectors; sector++) {
    const header = readSectorHeader(source, geometry, sector);
    if (header) {
      if (!previous || !follows(previous, header)) run = { start: sector, startFirstSeq: header.firstSeq };
      if (!best || header.sectorSeq > best.header.sectorSeq) best = { index: sector, header, run };
    }
    if (sector === 0) first = header;
    previous = header;
  }
  if (!best) return undefined;
  let tail = best.run;
  // The head's run starts at sector 0 and the last run continues into it: the ring wraps.
  if (best.run.start === 0 && run.start > best.index && first && previous && follows(previous, first)) tail = run;
  return {
    head: best.index,
    headHeader: best.header,
    tail: tail.start,
    tailFirstSeq: tail.startFirstSeq,
    length: ((best.index - tail.start + sectors) % sectors) + 1,
  };
}

function follows(before: SectorHeader, after: SectorHeader): boolean {
  return after.sectorSeq === before.sectorSeq + 1 && after.firstSeq >= before.firstSeq && after.acked >= before.acked;
}
