/**
 * The body of a samples frame: each sample is coded against the one before it in the same frame
 * (the first against channel 0xFFFF, time 0, flags 0), so a frame decodes on its own.
 *
 *   lead:u8   bits 0-1 time: 0 same as previous, 1 svarint delta in whole seconds, 2 svarint delta in ms
 *             bits 2-3 channel: 0 previous + 1, 1 same as previous, 2 uvarint follows
 *             bits 4-5 value: 0 float32, 1 svarint integer
 *             bit 6 flags byte follows (else the previous sample's flags); bit 7 always 0
 *   [flags:u8] [time delta] [channel] value
 *
 * What round-trips ("content"): channel, time (integer ms), flags exactly; the value at float32
 * precision (toFloat32), the precision the uplink carries too.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import type { Sample } from "../records/sample.js";
import { toFloat32 } from "../codec/float32.js";

/** Times are integer ms since the epoch below 2^48 (year 10889). */
export const MAX_TIME = 2 ** 48;
/** Integers of smaller magnitude take fewer bytes as a varint than as a float32. */
const MAX_VARINT_VALUE = 2 ** 20;
const FIRST_PREVIOUS: Sample = { channel: 0xffff, time: 0, value: 0, flags: 0 };

const TimeMode = { Same: 0, Seconds: 1, Millis: 2 } as const;
const ChannelMode = { Next: 0, Same: 1, Explicit: 2 } as const;
const ValueMode = { Float32: 0, Integer: 1 } as const;
const FLAGS_FOLLOW = 0x40;

/** Why `sample` cannot be stored, or undefined when it can. */
export function sampleProblem(sample: Sample): string | undefined {
  const { channel, time, value, flags } = sample;
  if (!Number.isInteger(channel) || channel < 0 || channel > 0xffff) return `channel ${channel} is not 0..65535`;
  if (!Number.isInteger(time) || time < 0 || time >= MAX_TIME) return `time ${time} is not an integer ms in 0..2^48`;
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff) return `flags ${flags} is not 0..255`;
  if (typeof value !== "number") return `value ${String(value)} is not a number`;
  return undefined;
}

/** The sample as the log gives it back. */
export function storedSample(sample: Sample): Sample {
  return { channel: sample.channel, time: sample.time, value: toFloat32(sample.value), flags: sample.flags };
}

/** Codes `sample` against `previous`, the sample before it in the frame (undefined: first). */
export function encodeSample(sample: Sample, previous: Sample | undefined): Uint8Array {
  const before = previous ?? FIRST_PREVIOUS;
  const out = new ByteWriter(24);
  const delta = sample.time - before.time;
  const timeMode = delta === 0 ? TimeMode.Same : delta % 1000 === 0 ? TimeMode.Seconds : TimeMode.Millis;
  const channelMode = sample.channel === ((before.channel + 1) & 0xffff) ? ChannelMode.Next
    : sample.channel === before.channel ? ChannelMode.Same : ChannelMode.Explicit;
  const value = sample.value;
  const valueMode = Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < MAX_VARINT_VALUE
    ? ValueMode.Integer : ValueMode.Float32;
  const flagsFollow = sample.flags !== before.flags;
  out.u8(timeMode | (channelMode << 2) | (valueMode << 4) | (flagsFollow ? FLAGS_FOLLOW : 0));
  if (flagsFollow) out.u8(sample.flags);
  if (timeMode === TimeMode.Seconds) out.svarint(delta / 1000);
  if (timeMode === TimeMode.Millis) out.svarint(delta);
  if (channelMode === ChannelMode.Explicit) out.uvarint(sample.channel);
  if (valueMode === ValueMode.Integer) out.svarint(value);
  else out.f32(value);
  return out.finish();
}

/** The `count` samples of a frame body, or undefined if the body is not exactly that. */
export function decodeSamples(body: Uint8Array, count: number): Sample[] | undefined {
  const input = new ByteReader(body);
  const samples: Sample[] = [];
  let before = FIRST_PREVIOUS;
  try {
    for (let i = 0; i < count; i++) {
      const sample = decodeOne(input, before);
      if (!sample) return undefined;
      samples.push(sample);
      before = sample;
    }
  } catch (error) {
    if (error instanceof FormatError) return undefined;
    throw error;
  }
  return count > 0 && input.remaining === 0 ? samples : undefined;
}

function decodeOne(input: ByteReader, before: Sample): Sample | undefined {
  const lead = input.u8();
  const timeMode = lead & 3;
  const channelMode = (lead >> 2) & 3;
  const valueMode = (lead >> 4) & 3;
  if (lead & 0x80 || timeMode > TimeMode.Millis || channelMode > ChannelMode.Explicit || valueMode > ValueMode.Integer) {
    return undefined;
  }
  const flags = lead & FLAGS_FOLLOW ? input.u8() : before.flags;
  const time = before.time + (timeMode === TimeMode.Seconds ? input.svarint() * 1000
    : timeMode === TimeMode.Millis ? input.svarint() : 0);
  const channel = channelMode === ChannelMode.Next ? (before.channel + 1) & 0xffff
    : channelMode === ChannelMode.Same ? before.channel : input.uvarint();
  const value = valueMode === ValueMode.Integer ? input.svarint() : input.f32();
  if (time < 0 || time >= MAX_TIME || channel > 0xffff) return undefined;
  return { channel, time, value, flags };
}
