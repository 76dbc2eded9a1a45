import assert from "node:assert/strict";
import { Ingest } from "../../hosts/sim/server/ingest.js";
import { encodePacket } from "../../modules/uplink/packet.js";
import { GapReason, type UplinkRecord } from "../../modules/uplink/records.js";

const T0 = Date.UTC(2026, 0, 1);
const sample = (seq: number, value = seq): UplinkRecord => ({ kind: "sample", seq, sample: { channel: 1, time: T0 + seq * 1000, value, flags: 0 } });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => sample(from + i));

describe("server ingest", () => {
  it("acknowledges the highest consecutive sequence number stored", () => {
    const landed: number[] = [];
    const ingest = new Ingest({ onSample: (_device, record) => landed.push(record.seq) });
    assert.equal(ingest.receive(7, encodePacket(7, range(1, 10)).bytes).acked, 10);
    assert.equal(ingest.receive(7, encodePacket(7, range(11, 15)).bytes).acked, 15);
    assert.deepEqual(landed, range(1, 15).map((r) => r.seq));
  });

  it("stores a re-sent packet once and acknowledges it again (the device lost the first ack)", () => {
    const landed: number[] = [];
    const ingest = new Ingest({ onSample: (_device, record) => landed.push(record.seq) });
    const packet = encodePacket(7, range(1, 5)).bytes;
    ingest.receive(7, packet);
    const again = ingest.receive(7, packet);
    assert.equal(again.duplicates, 5);
    assert.equal(again.fresh.length, 0);
    assert.equal(again.acked, 5);
    assert.equal(landed.length, 5);
  });

  it("a re-send that overlaps what is stored lands only the new part", () => {
    const ingest = new Ingest();
    ingest.receive(7, encodePacket(7, range(1, 5)).bytes);
    const result = ingest.receive(7, encodePacket(7, range(3, 8)).bytes);
    assert.deepEqual(result.fresh.map((r) => r.seq), [6, 7, 8]);
    assert.equal(result.acked, 8);
  });

  it("alarms sent ahead in a sparse packet do not move the ack past missing records", () => {
    const ingest = new Ingest();
    ingest.receive(7, encodePacket(7, range(1, 3)).bytes);
    const alarm = ingest.receive(7, encodePacket(7, [sample(9)], { sparse: true }).bytes);
    assert.equal(alarm.acked, 3);
    const backlog = ingest.receive(7, encodePacket(7, range(4, 10)).bytes);
    assert.equal(backlog.acked, 10);
    assert.equal(backlog.duplicates, 1);
  });

  it("a gap explains missing sequence numbers and lets the ack move past them", () => {
    const gaps: number[] = [];
    const ingest = new Ingest({ onGap: (_device, record) => gaps.push(record.lost) });
    const records: UplinkRecord[] = [...range(1, 2), { kind: "gap", seq: 3, lost: 4, reason: GapReason.Overwritten, time: T0 }, ...range(7, 8)];
    assert.equal(ingest.receive(7, encodePacket(7, records).bytes).acked, 8);
    assert.deepEqual(gaps, [4]);
  });

  it("refuses a corrupt packet and one naming another device, storing nothing", () => {
    const ingest = new Ingest();
    const bytes = encodePacket(7, range(1, 3)).bytes;
    const corrupt = bytes.slice();
    corrupt[10] ^= 1;
    assert.throws(() => ingest.receive(7, corrupt), /check value/);
    assert.throws(() => ingest.receive(8, bytes), /device 7/);
    assert.equal(ingest.devices.get(7)?.stored.size ?? 0, 0);
  });
});

describe("CSV landing", () => {
  it("writes one file per device, channel and day, with faults and gaps spelled out", async () => {
    const { mkdtempSync, readFileSync, readdirSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { CsvLanding } = await import("../../hosts/sim/node/csv-landing.js");
    const dir = mkdtempSync(join(tmpdir(), "csv-"));
    try {
      const ingest = new Ingest(new CsvLanding(dir));
      const day = 86_400_000;
      const records: UplinkRecord[] = [
        { kind: "sample", seq: 1, sample: { channel: 1, time: T0 + day - 60_000, value: 2.5, flags: 4 } },
        { kind: "sample", seq: 2, sample: { channel: 1, time: T0 + day, value: 4, flags: 0x11 | 4 } },
        { kind: "gap", seq: 3, lost: 2, reason: GapReason.LogFull, time: T0 + day + 1000 },
        { kind: "sample", seq: 5, sample: { channel: 2, time: T0 + day + 60_000, value: 1, flags: 0x40 } },
      ];
      ingest.receive(3, encodePacket(3, records).bytes);
      assert.deepEqual(readdirSync(join(dir, "3")).sort(), ["3_ch1_2026-01-01.csv", "3_ch1_2026-01-02.csv", "3_ch2_2026-01-02.csv", "3_gaps.csv"]);
      assert.equal(readFileSync(join(dir, "3", "3_ch1_2026-01-02.csv"), "utf8"),
        "time_utc,seq,value,time_quality,fault,flags\n2026-01-02T00:00:00.000Z,2,,rtc,Overrange,alarm\n");
      assert.equal(readFileSync(join(dir, "3", "3_gaps.csv"), "utf8"),
        "time_utc,first_seq,lost,reason\n2026-01-02T00:00:01.000Z,3,2,LogFull\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
