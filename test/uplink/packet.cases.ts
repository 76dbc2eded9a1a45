import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { FormatError } from "../../modules/codec/byte-reader.js";
import { crc32 } from "../../modules/codec/crc32.js";
import { toFloat32 } from "../../modules/codec/float32.js";
import { SampleFlag, SensorFault, timeQualityFlags } from "../../modules/records/sample.js";
import { decodePacket, encodePacket } from "../../modules/uplink/packet.js";
import { GapReason, nextSeq, type UplinkRecord } from "../../modules/uplink/records.js";
import * as assert from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

const T0 = Date.UTC(2026, 2, 1);
const rtc = timeQualityFlags("rtc");

/** A minute-by-minute trace like the example configuration: level, three soil values, rain total, door. */
function trace(minutes: number, random: SeededRandom, firstSeq = 1): UplinkRecord[] {
  const records: UplinkRecord[] = [];
  let seq = firstSeq;
  let level = 2.5;
  let rain = 0;
  for (let m = 0; m < minutes; m++) {
    const time = T0 + m * 60_000;
    level = Math.max(0, level + random.gaussian() * 0.002);
    if (random.next() < 0.02) rain += 0.2;
    const values: Array<[number, number]> = [
      [1, Math.round(level * 1000) / 1000],
      [10, Math.round((31 + random.gaussian() * 0.1) * 10) / 10],
      [11, Math.round((14 + Math.sin(m / 300)) * 10) / 10],
      [12, Math.round(420 + random.gaussian())],
      [20, Math.round(rain * 10) / 10],
      [30, m % 600 < 5 ? 1 : 0],
    ];
    for (const [channel, value] of values) records.push({ kind: "sample", seq: seq++, sample: { channel, time, value, flags: rtc } });
  }
  return records;
}

function expectedAfterRoundTrip(records: UplinkRecord[]): UplinkRecord[] {
  return records.map((r) => (r.kind === "sample" ? { ...r, sample: { ...r.sample, value: toFloat32(r.sample.value) } } : r));
}

export const cases: TestCase[] = [
  {
    name: "CRC-32 has the standard check value",
    run() {
      assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
    },
  },
  {
    name: "a day of the example trace round-trips exactly (values at float32) in well under 2.5 bytes per sample",
    run() {
      const records = trace(1440, new SeededRandom(1));
      let offset = 0;
      let bytes = 0;
      const decoded: UplinkRecord[] = [];
      while (offset < records.length) {
        const packet = encodePacket(42, records.slice(offset));
        assert.ok(packet.bytes.length <= 4096, "packet fits a 4 KiB publish");
        const back = decodePacket(packet.bytes);
        assert.equal(back.deviceId, 42);
        decoded.push(...back.records);
        offset += packet.count;
        bytes += packet.bytes.length;
      }
      assert.deepEqual(decoded, expectedAfterRoundTrip(records));
      assert.ok(bytes / records.length <= 2.5, `bytes per sample ${bytes / records.length}`);
    },
  },
  {
    name: "floats that no decimal scale reproduces travel as float32, millisecond times keep their milliseconds",
    run() {
      const records: UplinkRecord[] = [
        { kind: "sample", seq: 7, sample: { channel: 3, time: T0 + 123, value: Math.PI, flags: 0 } },
        { kind: "sample", seq: 8, sample: { channel: 3, time: T0 + 1123, value: -1e-7, flags: 0 } },
        { kind: "sample", seq: 9, sample: { channel: 3, time: T0 + 999, value: Number.NaN, flags: 0 } },
      ];
      const big = decodePacket(encodePacket(1, [{ kind: "sample", seq: 1, sample: { channel: 4, time: T0, value: 16777217, flags: 0 } }]).bytes);
      const bigRecord = big.records[0];
      assert.ok(bigRecord.kind === "sample" && bigRecord.sample.value === 16777216, "integers beyond float32 precision round like the log");
      const back = decodePacket(encodePacket(1, records).bytes).records;
      assert.equal(back.length, 3);
      assert.deepEqual(back.slice(0, 2), expectedAfterRoundTrip(records.slice(0, 2)));
      const third = back[2];
      assert.ok(third.kind === "sample" && Number.isNaN(third.sample.value) && third.sample.time === T0 + 999);
    },
  },
  {
    name: "fault samples, alarm flags and gaps are carried with their sequence numbers",
    run() {
      const records: UplinkRecord[] = [
        { kind: "sample", seq: 100, sample: { channel: 1, time: T0, value: 2.5, flags: rtc } },
        { kind: "sample", seq: 101, sample: { channel: 1, time: T0 + 60_000, value: SensorFault.Underrange, flags: rtc | SampleFlag.Fault } },
        { kind: "gap", seq: 102, lost: 40, reason: GapReason.Overwritten, time: T0 + 90_000 },
        { kind: "sample", seq: 142, sample: { channel: 1, time: T0 + 120_000, value: 9.75, flags: rtc | SampleFlag.AlarmRaised } },
        { kind: "sample", seq: 143, sample: { channel: 2, time: T0 + 120_000, value: 1, flags: rtc | SampleFlag.Event } },
      ];
      assert.deepEqual(decodePacket(encodePacket(5, records).bytes).records, records);
      assert.equal(nextSeq(records[2]), 142);
    },
  },
  {
    name: "a sparse packet carries alarm records that are not consecutive",
    run() {
      const records: UplinkRecord[] = [
        { kind: "sample", seq: 10, sample: { channel: 1, time: T0, value: 9, flags: SampleFlag.AlarmRaised } },
        { kind: "sample", seq: 500, sample: { channel: 1, time: T0 + 5000, value: 2, flags: SampleFlag.AlarmCleared } },
      ];
      assert.throws(() => encodePacket(1, records), /consecutive/);
      const back = decodePacket(encodePacket(1, records, { sparse: true }).bytes);
      assert.ok(back.sparse);
      assert.deepEqual(back.records, records);
    },
  },
  {
    name: "sequence numbers wrap at 2^32",
    run() {
      const records: UplinkRecord[] = [
        { kind: "sample", seq: 0xffffffff, sample: { channel: 1, time: T0, value: 1, flags: 0 } },
        { kind: "sample", seq: 0, sample: { channel: 1, time: T0 + 1000, value: 2, flags: 0 } },
      ];
      assert.deepEqual(decodePacket(encodePacket(1, records).bytes).records, records);
    },
  },
  {
    name: "a backlog is split into packets that each fit the limit, none losing a record",
    run() {
      const records = trace(300, new SeededRandom(2));
      const first = encodePacket(1, records, { maxBytes: 512 });
      assert.ok(first.bytes.length <= 512 && first.count > 0 && first.count < records.length);
      assert.deepEqual(decodePacket(first.bytes).records, expectedAfterRoundTrip(records.slice(0, first.count)));
    },
  },
  {
    name: "every single-byte corruption and every truncation is refused with a FormatError",
    run() {
      const bytes = encodePacket(9, trace(5, new SeededRandom(3))).bytes;
      for (let i = 0; i < bytes.length; i++) {
        const corrupt = bytes.slice();
        corrupt[i] ^= 0x5a;
        assert.throws(() => decodePacket(corrupt), FormatError, `byte ${i}`);
      }
      for (let length = 0; length < bytes.length; length++) {
        assert.throws(() => decodePacket(bytes.subarray(0, length)), FormatError, `length ${length}`);
      }
    },
  },
];

/** Mutated packets with a recomputed check value reach the parser itself: it must fail cleanly or decode. */
cases.push({
  name: "the decoder survives 3,000 mutated packets with valid check values (FormatError or a decode, nothing else)",
  run() {
    const random = new SeededRandom(4);
    const original = encodePacket(9, trace(20, new SeededRandom(5))).bytes;
    for (let round = 0; round < 3000; round++) {
      const body = original.slice(0, original.length - 4);
      const mutations = 1 + random.below(4);
      for (let m = 0; m < mutations; m++) body[random.below(body.length)] = random.nextUint32() & 0xff;
      const cut = random.next() < 0.2 ? random.below(body.length) : body.length;
      const packet = new Uint8Array(cut + 4);
      packet.set(body.subarray(0, cut));
      new DataView(packet.buffer).setUint32(cut, crc32(packet, 0, cut), true);
      try {
        decodePacket(packet);
      } catch (error) {
        assert.ok(error instanceof FormatError, `round ${round}: ${String(error)}`);
      }
    }
  },
});
