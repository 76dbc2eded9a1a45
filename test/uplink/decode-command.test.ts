/**
 * `datalogger decode`: the docs' worked example as hex text, raw packets, reports, downlinks and
 * a log partition image, as rows and as CSV; input that is none of these is refused with reasons.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RingLog } from "../../modules/log/ring-log.js";
import { timeQualityFlags } from "../../modules/records/sample.js";
import { encodeDownlink } from "../../modules/uplink/downlink.js";
import { encodePacket } from "../../modules/uplink/packet.js";
import { ConfigOutcome, encodeReports } from "../../modules/uplink/report.js";
import { decodeAs, decodeCommand, inputBytes, recordRow } from "../../hosts/sim/node/decode-command.js";
import { float32Text } from "../../hosts/sim/node/csv-landing.js";
import { NorFlash } from "../../hosts/sim/nor-flash.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";

const EXAMPLE = "01 02 2a e8 03 00 00 06 c0 d4 90 cd 06 02 01 03 04 0a 01 04 00 03 d2 24 ae 03 e4 03 03 04 04 05 04 f2 01 06 01 f4 01 01 14 0b db f2 ea 0e";

describe("datalogger decode", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "decode-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(bytes: Uint8Array | string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const path = join(dir, `input-${Math.random().toString(16).slice(2)}`);
    writeFileSync(path, bytes);
    const out: string[] = [];
    const err: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (line: string) => out.push(line);
    console.error = (line: string) => err.push(line);
    try {
      return { code: await decodeCommand([path, ...args]), out: out.join("\n"), err: err.join("\n") };
    } finally {
      console.log = log;
      console.error = error;
    }
  }

  it("shows the format doc's worked example from its hex text, values as measured", async () => {
    const { code, out } = await run(`${EXAMPLE}\n`);
    assert.equal(code, 0);
    assert.deepEqual(out.split("\n").map((line) => line.trimEnd()), [
      "uplink packet: device 42, 6 records, 46 bytes",
      "  #1000     2026-03-01T12:00:00.000Z  ch 1     2.345          rtc",
      "  #1001     2026-03-01T12:00:00.000Z  ch 10    21.5           rtc",
      "  #1002     2026-03-01T12:01:00.000Z  ch 1     2.347          rtc",
      "  #1003     2026-03-01T12:01:00.000Z  ch 10    Overrange      rtc",
      "  #1004     2026-03-01T12:01:30.000Z  gap of 6 (Overwritten)",
      "  #1010     2026-03-01T12:02:00.000Z  ch 1     2.341          rtc     alarm",
    ]);
  });

  it("writes CSV with one column layout for samples and gaps; raw bytes decode like hex", async () => {
    const { out } = await run(inputBytes(new TextEncoder().encode(EXAMPLE)), "--csv");
    const lines = out.split("\n");
    assert.equal(lines[0], "record,channel,time_utc,seq,value,time_quality,fault,flags,lost,reason");
    assert.equal(lines[4], "sample,10,2026-03-01T12:01:00.000Z,1003,,rtc,Overrange,,,");
    assert.equal(lines[5], "gap,,2026-03-01T12:01:30.000Z,1004,,,,,6,Overwritten");
    assert.ok(lines.every((line) => line.split(",").length === 10));
  });

  it("shows reports and downlinks", async () => {
    const report = await run(encodeReports(7, [{ kind: "config-result", version: 3, outcome: ConfigOutcome.Reverted, detail: "no server" }]));
    assert.equal(report.out, "reports from device 7:\n  configuration 3 reverted: no server");
    const downlink = await run(encodeDownlink([{ kind: "config", version: 4, document: "{\"apn\":\"x.example\"}" }]));
    assert.equal(downlink.out, "downlink:\n  configuration version 4: {\"apn\":\"x.example\"}");
  });

  it("shows a log partition image: every stored record in order, with the log's state", async () => {
    const flash = new NorFlash({ blocks: 8, random: new SeededRandom("decode") });
    const { log } = RingLog.mount(flash, { policy: "drop-oldest" });
    const t0 = Date.UTC(2026, 2, 1);
    for (let i = 0; i < 500; i++) log.append({ channel: 1 + (i % 3), time: t0 + i * 20_000, value: i / 8, flags: timeQualityFlags("server") });
    log.flush();
    log.ack(120);
    const { code, out } = await run(flash.image(), "--as", "image");
    assert.equal(code, 0);
    const lines = out.split("\n");
    assert.match(lines[0], /^log image: 8 sectors of 4096 B, \d+ in the ring, head \d+, newest #500, acknowledged #120$/);
    assert.deepEqual(lines.slice(1), log.read(1, 1000).map((record) => recordRow(record, false)));
    assert.equal(decodeAs("image", flash.image(), true, 4096, 1).length, 500);
  });

  it("refuses input that is none of the formats, saying why for each", async () => {
    const packet = encodePacket(1, [{ kind: "sample", seq: 1, sample: { channel: 1, time: 0, value: 1, flags: 0 } }]).bytes;
    packet[5] ^= 1;
    const { code, err } = await run(packet);
    assert.equal(code, 1);
    assert.match(err, /not a packet: packet check value does not match/);
    assert.match(err, /not a log image/);
    await assert.rejects(decodeCommand([]), /usage/);
    await assert.rejects(decodeCommand([join(dir, "x"), "--as", "nonsense"]), /--as must be one of/);
  });

  it("writes values as the shortest decimal of the same float32", () => {
    assert.equal(float32Text(Math.fround(2.345)), "2.345");
    assert.equal(float32Text(Math.fround(Math.PI)), "3.1415927");
    assert.equal(float32Text(-0.5), "-0.5");
    assert.equal(float32Text(Number.NaN), "NaN");
    const random = new SeededRandom("float32");
    for (let i = 0; i < 10_000; i++) {
      const value = Math.fround((random.next() - 0.5) * 10 ** random.below(12));
      assert.equal(Math.fround(Number(float32Text(value))), value);
    }
  });
});
