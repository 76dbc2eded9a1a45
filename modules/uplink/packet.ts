/**
 * The uplink packet: our own compact binary format (docs/uplink-format.md). Samples taken at the
 * same moment share one frame with one time delta and a presence bitmap; values are integers at
 * the coarsest decimal scale that reproduces them exactly (else float32), delta-coded per channel.
 * This file holds the one encoder and the one decoder of the format.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { toFloat32 } from "../codec/float32.js";
import { SampleFlag, type Sample } from "../records/sample.js";
import { nextSeq, type UplinkRecord } from "./records.js";
import { seal, unseal } from "./sealed.js";

export const PACKET_VERSION = 1;
export const MAX_PACKET_BYTES = 4096;
const FLOAT32 = 0xff;
const MAX_DECIMALS = 6;
const HEADER_SPARSE = 0x01;
const HEADER_SECONDS = 0x02;
const FRAME_GAP = 0x01;
const FRAME_FLAGS = 0x02;

export interface UplinkPacket {
  deviceId: number;
  /** True when the records are not consecutive (alarm packets sent ahead of the backlog). */
  sparse: boolean;
  records: UplinkRecord[];
}

interface ChannelCode {
  channel: number;
  /** Decimal places of the integer encoding, or FLOAT32. */
  decimals: number;
  defaultFlags: number;
}

/** The value a sample round-trips to: the log keeps float32, so that is the precision of record. */
const stored = toFloat32;

function isFault(sample: Sample): boolean {
  return (sample.flags & SampleFlag.Fault) !== 0;
}

function chooseDecimals(values: number[]): number {
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    const scale = 10 ** decimals;
    const exact = values.every((v) => {
      const scaled = Math.round(v * scale);
      return Number.isSafeInteger(scaled) && Math.abs(scaled) < 2 ** 40 && stored(scaled / scale) === stored(v);
    });
    if (exact) return decimals;
  }
  return FLOAT32;
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  let best = values[0];
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > (counts.get(best) ?? 0)) best = value;
  }
  return best;
}

function channelCodes(records: readonly UplinkRecord[]): ChannelCode[] {
  const values = new Map<number, number[]>();
  const flags = new Map<number, number[]>();
  for (const record of records) {
    if (record.kind !== "sample") continue;
    const { channel } = record.sample;
    if (!values.has(channel)) { values.set(channel, []); flags.set(channel, []); }
    flags.get(channel)!.push(record.sample.flags);
    if (!isFault(record.sample)) values.get(channel)!.push(record.sample.value);
  }
  return [...values.keys()].sort((a, b) => a - b).map((channel) => ({
    channel,
    decimals: chooseDecimals(values.get(channel)!),
    defaultFlags: mostCommon(flags.get(channel)!),
  }));
}

/** Splits records into frames: runs at one time whose channels rise in table order (so seq order is kept). */
function frames(records: readonly UplinkRecord[], indexOf: Map<number, number>): UplinkRecord[][] {
  const out: UplinkRecord[][] = [];
  let current: UplinkRecord[] = [];
  for (const record of records) {
    const last = current[current.length - 1];
    const joins = last && last.kind === "sample" && record.kind === "sample" &&
      record.sample.time === last.sample.time &&
      indexOf.get(record.sample.channel)! > indexOf.get(last.sample.channel)!;
    if (!joins && current.length) {
      out.push(current);
      current = [];
    }
    current.push(record);
  }
  if (current.length) out.push(current);
  return out;
}

function recordTime(record: UplinkRecord): number {
  return record.kind === "sample" ? record.sample.time : record.time;
}

function checkConsecutive(records: readonly UplinkRecord[]): boolean {
  for (let i = 1; i < records.length; i++) if (records[i].seq !== nextSeq(records[i - 1])) return false;
  return true;
}

function encodeAll(deviceId: number, records: readonly UplinkRecord[], sparse: boolean): Uint8Array {
  const codes = channelCodes(records);
  const indexOf = new Map(codes.map((code, index) => [code.channel, index]));
  const seconds = records.every((r) => recordTime(r) % 1000 === 0);
  const unit = seconds ? 1000 : 1;
  const out = new ByteWriter(1024);
  out.u8(PACKET_VERSION);
  out.u8((sparse ? HEADER_SPARSE : 0) | (seconds ? HEADER_SECONDS : 0));
  out.uvarint(deviceId);
  out.u32(records.length ? records[0].seq : 0);
  out.uvarint(records.length);
  const timeBase = records.length ? recordTime(records[0]) / unit : 0;
  out.uvarint(timeBase);
  out.uvarint(codes.length);
  for (const code of codes) {
    out.uvarint(code.channel);
    out.u8(code.decimals);
    out.u8(code.defaultFlags);
  }
  const previousValue = new Map<number, number>();
  let previousTime = timeBase;
  let previousSeq = records.length ? records[0].seq - 1 : 0;
  for (const frame of frames(records, indexOf)) {
    const first = frame[0];
    const time = recordTime(first) / unit;
    const timeDelta = time - previousTime;
    previousTime = time;
    const writeSeq = (seq: number) => {
      if (sparse) out.uvarint((seq - previousSeq - 1) >>> 0);
      previousSeq = seq;
    };
    if (first.kind === "gap") {
      out.svarint(timeDelta * 4 + FRAME_GAP);
      writeSeq(first.seq);
      out.uvarint(first.lost);
      out.u8(first.reason);
      previousSeq = (first.seq + first.lost - 1) >>> 0;
      continue;
    }
    const samples = frame.map((record) => (record as { sample: Sample }).sample);
    const withFlags = samples.some((s) => s.flags !== codes[indexOf.get(s.channel)!].defaultFlags);
    out.svarint(timeDelta * 4 + (withFlags ? FRAME_FLAGS : 0));
    const bitmap = new Uint8Array(Math.ceil(codes.length / 8));
    for (const s of samples) {
      const index = indexOf.get(s.channel)!;
      bitmap[index >> 3] |= 1 << (index & 7);
    }
    out.bytes(bitmap);
    frame.forEach((record, i) => {
      const sample = samples[i];
      const code = codes[indexOf.get(sample.channel)!];
      writeSeq(record.seq);
      if (withFlags) out.u8(sample.flags);
      if (isFault(sample)) {
        out.uvarint(sample.value);
      } else if (code.decimals === FLOAT32) {
        out.f32(sample.value);
      } else {
        const scaled = Math.round(sample.value * 10 ** code.decimals);
        out.svarint(scaled - (previousValue.get(code.channel) ?? 0));
        previousValue.set(code.channel, scaled);
      }
    });
  }
  return seal(out.finish());
}

/**
 * Encodes as many of `records` (from the start) as fit in `maxBytes`. Records must be
 * consecutive by sequence number unless `sparse`. Fault samples carry their integer code.
 */
export function encodePacket(
  deviceId: number,
  records: readonly UplinkRecord[],
  options: { maxBytes?: number; sparse?: boolean } = {},
): { bytes: Uint8Array; count: number } {
  const maxBytes = options.maxBytes ?? MAX_PACKET_BYTES;
  const sparse = options.sparse ?? false;
  if (!sparse && !checkConsecutive(records)) throw new RangeError("records are not consecutive; use a sparse packet");
  for (const record of records) {
    if (record.kind === "gap" && !(Number.isInteger(record.lost) && record.lost >= 1)) {
      throw new RangeError(`gap at ${record.seq} must lose at least one sequence number`);
    }
    if (record.kind === "sample" && isFault(record.sample) && !(Number.isInteger(record.sample.value) && record.sample.value >= 0)) {
      throw new RangeError(`fault sample on channel ${record.sample.channel} must carry a fault code`);
    }
  }
  let count = records.length;
  let bytes = encodeAll(deviceId, records.slice(0, count), sparse);
  if (bytes.length <= maxBytes) return { bytes, count };
  // Too large: find the longest prefix that fits (encoding is linear, so bisect).
  let fits = 0;
  let tooMany = count;
  let best: Uint8Array | undefined;
  while (tooMany - fits > 1) {
    const middle = (fits + tooMany) >> 1;
    const attempt = encodeAll(deviceId, records.slice(0, middle), sparse);
    if (attempt.length <= maxBytes) { fits = middle; best = attempt; } else { tooMany = middle; }
  }
  if (!best) throw new RangeError(`a single record does not fit in ${maxBytes} bytes`);
  count = fits;
  bytes = best;
  return { bytes, count };
}

export function decodePacket(packet: Uint8Array): UplinkPacket {
  const input = new ByteReader(unseal(packet, "packet"));
  const version = input.u8();
  if (version !== PACKET_VERSION) throw new FormatError(`unknown packet version ${version}`);
  const headerFlags = input.u8();
  if (headerFlags & ~(HEADER_SPARSE | HEADER_SECONDS)) throw new FormatError("unknown header flags");
  const sparse = (headerFlags & HEADER_SPARSE) !== 0;
  const unit = headerFlags & HEADER_SECONDS ? 1000 : 1;
  const deviceId = input.uvarint();
  const firstSeq = input.u32();
  const count = input.uvarint();
  let time = input.uvarint();
  const channels = input.uvarint();
  if (channels > 65536) throw new FormatError("too many channels");
  const codes: ChannelCode[] = [];
  for (let i = 0; i < channels; i++) {
    const channel = input.uvarint();
    if (channel > 0xffff) throw new FormatError(`channel ${channel} out of range`);
    const decimals = input.u8();
    if (decimals > MAX_DECIMALS && decimals !== FLOAT32) throw new FormatError(`bad value encoding ${decimals}`);
    codes.push({ channel, decimals, defaultFlags: input.u8() });
  }
  const records: UplinkRecord[] = [];
  const previousValue = new Map<number, number>();
  let previousSeq = (firstSeq - 1) >>> 0;
  const readSeq = () => (previousSeq + 1 + (sparse ? input.uvarint() : 0)) >>> 0;
  while (records.length < count) {
    const head = input.svarint();
    const kind = ((head % 4) + 4) % 4;
    time += (head - kind) / 4;
    const at = time * unit;
    if (kind === FRAME_GAP) {
      const seq = readSeq();
      const lost = input.uvarint();
      if (lost < 1 || lost > 0xffffffff) throw new FormatError(`gap of ${lost} sequence numbers`);
      const reason = input.u8();
      records.push({ kind: "gap", seq, lost, reason, time: at });
      previousSeq = (seq + lost - 1) >>> 0;
      continue;
    }
    if (kind !== 0 && kind !== FRAME_FLAGS) throw new FormatError(`bad frame kind ${kind}`);
    const bitmap = input.take(Math.ceil(codes.length / 8));
    let any = false;
    for (let index = 0; index < codes.length; index++) {
      if (!(bitmap[index >> 3] & (1 << (index & 7)))) continue;
      any = true;
      const code = codes[index];
      const seq = readSeq();
      previousSeq = seq;
      const flags = kind === FRAME_FLAGS ? input.u8() : code.defaultFlags;
      let value: number;
      if (flags & SampleFlag.Fault) {
        value = input.uvarint();
      } else if (code.decimals === FLOAT32) {
        value = input.f32();
      } else {
        const scaled = (previousValue.get(code.channel) ?? 0) + input.svarint();
        previousValue.set(code.channel, scaled);
        value = stored(scaled / 10 ** code.decimals);
      }
      records.push({ kind: "sample", seq, sample: { channel: code.channel, time: at, value, flags } });
      if (records.length > count) throw new FormatError("more records than the header counts");
    }
    if (!any) throw new FormatError("empty frame");
  }
  if (input.remaining !== 0) throw new FormatError(`${input.remaining} byte(s) after the last record`);
  return { deviceId, sparse, records };
}
