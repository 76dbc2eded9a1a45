/**
 * `npm run bench --silent -- ringlog`: the flash ring log against the issue's goals, next to a
 * naive log of fixed 12-byte records (u32 time in s, u16 channel, f32 value, CRC-16) on the same
 * simulator and workload.
 *
 * Workload: 5 float channels sampled every minute (values with arbitrary decimals, the worst case
 * for the format), an uplink session every hour (flush, read the unsent records in batches of 100,
 * mark sent, ack), on 16 sectors of 4 KiB, until every sector has been erased 3 times.
 *
 * - bytesPerSample: flash consumed per sample, all overhead included (sector headers, frame
 *   overhead, padding, ack frames, seal slots, unused sector tails): sectors opened x sector size / samples.
 * - programmedPerSample: bytes programmed / samples.
 * - writeAmplification: bytes programmed / payload bytes, payload being the samples' own coding
 *   (for the naive log, its 10 data bytes per record).
 * - erasesPerSectorPerWrap: erase counts of every sector / wraps; exactly 1 when min = max = wraps.
 * - ack: the most programs, bytes and erases one ack() cost.
 * - mount: bytes read at mount for several partition sizes, nearly empty and full.
 * - durability: the same run flushing every minute instead of when a frame is full.
 */
import { crc16Modbus } from "../drivers/modbus/crc16.js";
import { NorFlash } from "../hosts/sim/nor-flash.js";
import { SeededRandom } from "../hosts/sim/seeded-random.js";
import { FrameType } from "../modules/log/frames.js";
import { RingLog } from "../modules/log/ring-log.js";
import type { Sample } from "../modules/records/sample.js";

const SECTOR = 4096;
const SECTORS = 16;
const WRAPS = 3;
const CHANNELS = 5;
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

type Unit = 1 | 4 | 16;

function workload(): (round: number) => Sample[] {
  const random = new SeededRandom("ringlog bench");
  const levels = [12.5, 3.2, 21.0, 1013.2, 0.75];
  return (round) => levels.map((level, channel) => {
    levels[channel] = level + random.gaussian() * 0.05;
    return { channel, time: T0 + round * MINUTE, value: levels[channel] + random.next() * 1e-3, flags: 0x08 };
  });
}

interface RingRun {
  bytesPerSample: number;
  programmedPerSample: number;
  writeAmplification: number;
  erasesPerSectorPerWrap: { min: number; max: number };
  eraseSpread: number;
  ack: { programs: number; bytes: number; erases: number };
  appendsPerSecond: number;
  samples: number;
}

function runRing(unit: Unit, flushEveryRound: boolean): RingRun {
  const flash = new NorFlash({ blocks: SECTORS, blockSize: SECTOR, writeGranularity: unit });
  let payload = 0;
  const write = flash.write.bind(flash);
  flash.write = (offset, data) => {
    if (data[0] === FrameType.Samples) payload += data[1];
    write(offset, data);
  };
  const { log } = RingLog.mount(flash, { policy: "drop-oldest" });
  const next = workload();
  const ack = { programs: 0, bytes: 0, erases: 0 };
  let samples = 0;
  const started = performance.now();
  for (let round = 0; Math.min(...flash.eraseCounts) < WRAPS; round++) {
    for (const sample of next(round)) {
      log.append(sample);
      samples++;
    }
    if (flushEveryRound) log.flush();
    if (round % 60 === 59) {
      log.flush();
      const { newestSeq } = log.stats();
      for (let from = log.stats().sent + 1; from <= newestSeq; from += 100) log.read(from, 100);
      log.markSent(newestSeq);
      const before = { ...flash.stats };
      log.ack(newestSeq);
      ack.programs = Math.max(ack.programs, flash.stats.programs - before.programs);
      ack.bytes = Math.max(ack.bytes, flash.stats.bytesProgrammed - before.bytesProgrammed);
      ack.erases = Math.max(ack.erases, flash.stats.erases - before.erases);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const erases = Array.from(flash.eraseCounts);
  return {
    bytesPerSample: round2((flash.stats.erases * SECTOR) / samples),
    programmedPerSample: round2(flash.stats.bytesProgrammed / samples),
    writeAmplification: round3(flash.stats.bytesProgrammed / payload),
    erasesPerSectorPerWrap: { min: Math.min(...erases) / WRAPS, max: Math.max(...erases) / WRAPS },
    eraseSpread: Math.max(...erases) - Math.min(...erases),
    ack,
    appendsPerSecond: Math.round(samples / seconds),
    samples,
  };
}

/** The naive baseline: one 12-byte record programmed per sample (padded to the write unit). */
function runNaive(unit: Unit): Omit<RingRun, "ack" | "writeAmplification"> & { writeAmplification: number; mountBytesRead: number } {
  const flash = new NorFlash({ blocks: SECTORS, blockSize: SECTOR, writeGranularity: unit });
  const slot = Math.ceil(12 / unit) * unit;
  const perSector = Math.floor(SECTOR / slot);
  const next = workload();
  const record = new Uint8Array(slot).fill(0xff);
  const view = new DataView(record.buffer);
  let position = 0;
  let samples = 0;
  flash.erase(0);
  const started = performance.now();
  for (let round = 0; Math.min(...flash.eraseCounts) < WRAPS; round++) {
    for (const sample of next(round)) {
      if (position % perSector === 0 && position > 0) flash.erase((position / perSector) % SECTORS);
      view.setUint32(0, Math.floor(sample.time / 1000), true);
      view.setUint16(4, sample.channel, true);
      view.setFloat32(6, sample.value, true);
      view.setUint16(10, crc16Modbus(record, 10), true);
      const sector = Math.floor(position / perSector) % SECTORS;
      flash.write(sector * SECTOR + (position % perSector) * slot, record);
      position++;
      samples++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const erases = Array.from(flash.eraseCounts);
  const before = flash.stats.bytesRead;
  // Without sequence numbers or headers, finding the newest record means reading every slot.
  for (let offset = 0; offset < flash.byteLength; offset += SECTOR) flash.read(offset, SECTOR);
  return {
    bytesPerSample: round2((flash.stats.erases * SECTOR) / samples),
    programmedPerSample: round2(flash.stats.bytesProgrammed / samples),
    writeAmplification: round3(flash.stats.bytesProgrammed / (samples * 10)),
    erasesPerSectorPerWrap: { min: Math.min(...erases) / WRAPS, max: Math.max(...erases) / WRAPS },
    eraseSpread: Math.max(...erases) - Math.min(...erases),
    appendsPerSecond: Math.round(samples / seconds),
    samples,
    mountBytesRead: flash.stats.bytesRead - before,
  };
}

/** Bytes read by mount on `sectors` x 4 KiB, after `rounds` minutes of the workload. */
function mountCost(sectors: number, rounds: number): { records: number; bytesRead: number; bound: number } {
  const flash = new NorFlash({ blocks: sectors, blockSize: SECTOR, writeGranularity: 4 });
  const { log } = RingLog.mount(flash, { policy: "drop-oldest" });
  const next = workload();
  for (let round = 0; round < rounds; round++) for (const sample of next(round)) log.append(sample);
  log.flush();
  const { report } = RingLog.mount(flash, { policy: "drop-oldest" });
  // Every header (3 bytes when blank, 35 when valid), then one scan of the head sector.
  return { records: report.newestSeq, bytesRead: report.bytesRead, bound: sectors * 35 + 2 * SECTOR };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export default async function ringlog(): Promise<Record<string, unknown>> {
  const units: Unit[] = [1, 4, 16];
  const ring = Object.fromEntries(units.map((unit) => [`unit${unit}`, runRing(unit, false)]));
  const naive = Object.fromEntries(units.map((unit) => [`unit${unit}`, runNaive(unit)]));
  const flushEveryMinute = Object.fromEntries(units.map((unit) => {
    const run = runRing(unit, true);
    return [`unit${unit}`, { bytesPerSample: run.bytesPerSample, writeAmplification: run.writeAmplification }];
  }));
  // Records per sector of this workload, about: a full ring, and one that has wrapped twice more.
  const perSector = SECTOR / (CHANNELS * 6);
  const mount = [16, 256, 1024, 4096].map((sectors) => {
    const wraps = sectors <= 256 ? [1, 3] : [1];
    return {
      sectors,
      naiveBytesRead: sectors * SECTOR,
      runs: [0.02, ...wraps].map((fill) => mountCost(sectors, Math.ceil(sectors * perSector * fill))),
    };
  });
  return {
    workload: `${CHANNELS} float channels / min, hourly uplink + ack, ${SECTORS} x ${SECTOR} B, ${WRAPS} wraps`,
    goals: { bytesPerSample: 8, writeAmplification: 1.1, erasesPerSectorPerWrap: 1, ackPrograms: 1, eraseSpread: 1 },
    ring,
    naive,
    flushEveryMinute,
    mount,
  };
}
