/**
 * The acceptance run: a simulated logger through outages (3 days without coverage, modem
 * hangs, a link dropped mid-publish, broker restarts, power cuts at random moments), checked at
 * the far end: the CSV files the server landed hold every sample the log accepted, exactly once
 * and as measured, with explicit gaps only where the drop-oldest policy overwrote records.
 *
 * The full month runs in `npm test` (about 15 s); `OUTAGE_DAYS=n` runs another length (the fault
 * script scales with it).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SampleFlag, timeQualityFlags, timeQualityOf } from "../../modules/records/sample.js";
import type { SampleRecord } from "../../modules/uplink/records.js";
import { CsvLanding, formatSampleRow } from "../../hosts/sim/node/csv-landing.js";
import { DAY, RTC_ERROR_MS, runWithOutages, type OutageRun } from "./support/outage-run.js";

const DAYS = Number(process.env.OUTAGE_DAYS ?? 30);

interface LandedGap {
  time: number;
  first: number;
  lost: number;
  reason: string;
}

function readLanded(dir: string, device: number): { rows: Map<number, string>; duplicates: number[]; gaps: LandedGap[] } {
  const rows = new Map<number, string>();
  const duplicates: number[] = [];
  const gaps: LandedGap[] = [];
  const folder = join(dir, String(device));
  for (const file of readdirSync(folder)) {
    const lines = readFileSync(join(folder, file), "utf8").trimEnd().split("\n").slice(1);
    for (const line of lines) {
      const fields = line.split(",");
      if (file.endsWith("_gaps.csv")) {
        gaps.push({ time: Date.parse(fields[0]), first: Number(fields[1]), lost: Number(fields[2]), reason: fields[3] });
        continue;
      }
      const seq = Number(fields[1]);
      if (rows.has(seq)) duplicates.push(seq);
      rows.set(seq, line);
    }
  }
  return { rows, duplicates, gaps: gaps.sort((a, b) => a.first - b.first) };
}

describe(`the uplink end to end: ${DAYS} simulated days with outages`, function () {
  this.timeout(900_000);
  let dir: string;
  let run: OutageRun;
  let landed: ReturnType<typeof readLanded>;
  let acked: number;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "outage-"));
    run = runWithOutages(DAYS, new CsvLanding(dir));
    landed = readLanded(dir, run.world.account.deviceId);
    acked = run.world.server.receiver.ingest.devices.get(run.world.account.deviceId)?.acked ?? 0;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("went through every scripted outage without a crash", () => {
    const kinds = ["coverage lost", "modem hangs", "modem stuck", "link drops mid-publish", "broker restarts during", "broker restarts between", "power cut"];
    for (const kind of kinds) assert.ok(run.events.some((e) => e.what.startsWith(kind)), `no "${kind}" event`);
    assert.deepEqual(run.world.board.crashes, []);
    assert.ok(run.boots >= 3, `${run.boots} boots`);
    assert.ok(run.world.modem.stats.hangsCured >= 2, `hangs cured: ${run.world.modem.stats.hangsCured}`);
    const ledger = run.world.server.receiver.ingest.devices.get(run.world.account.deviceId);
    assert.ok((ledger?.duplicates ?? 0) > 0, "a packet was sent again after its delivery went unconfirmed");
  });

  it("the server acknowledged everything logged up to the last hour", () => {
    const samples = [...run.truth.values()];
    const latest = samples.reduce((max, sample) => Math.max(max, sample.time), 0);
    const lastHour = samples.filter((sample) => sample.time >= latest - 3_600_000).length;
    const newest = Math.max(...run.truth.keys());
    assert.ok(acked >= newest - lastHour, `acked ${acked}, newest ${newest}`);
  });

  it("the landed CSV holds every logged sample once, as measured (re-stamped where taken before the clock was set)", () => {
    assert.deepEqual(landed.duplicates, [], "no sequence number landed twice");
    const inGap = (seq: number) => landed.gaps.some((g) => seq >= g.first && seq < g.first + g.lost);
    let restampOffset: number | undefined;
    let compared = 0;
    const mismatches: string[] = [];
    for (const [seq, sample] of run.truth) {
      if (seq > acked || inGap(seq)) continue;
      let expected: SampleRecord = { kind: "sample", seq, sample };
      const row = landed.rows.get(seq);
      if (!row) {
        mismatches.push(`seq ${seq} missing`);
        continue;
      }
      if (timeQualityOf(sample.flags) === "unset") {
        restampOffset ??= Date.parse(row.split(",")[0]) - sample.time;
        const flags = (sample.flags & ~SampleFlag.TimeQualityMask) | timeQualityFlags("rtc");
        expected = { kind: "sample", seq, sample: { ...sample, time: sample.time + restampOffset, flags } };
      }
      if (formatSampleRow(expected) !== row) mismatches.push(`seq ${seq}: landed ${row}, logged ${formatSampleRow(expected)}`);
      compared++;
    }
    assert.deepEqual(mismatches.slice(0, 10), []);
    assert.ok(compared > DAYS * 500, `${compared} samples compared`);
    assert.ok(restampOffset !== undefined, "some samples were taken before the clock was set");
    assert.ok(Math.abs(restampOffset + RTC_ERROR_MS) < 5000, `re-stamped by ${restampOffset} ms`);
    const phantoms = [...landed.rows.keys()].filter((seq) => !run.truth.has(seq));
    assert.deepEqual(phantoms, [], "nothing landed that the log did not accept");
  });

  it("gaps are explicit, only where drop-oldest overwrote records while coverage was gone", () => {
    assert.ok(landed.gaps.length > 0, "the outage overflowed the log");
    const outage = run.events.find((e) => e.what.startsWith("coverage lost"))!;
    const { board } = run.world;
    const wall = (virtualMs: number) => board.trueTime() - board.scheduler.now + virtualMs;
    for (const gap of landed.gaps) {
      assert.equal(gap.reason, "Overwritten");
      assert.ok(gap.time >= wall(outage.atMs) && gap.time <= wall(outage.atMs + 3 * DAY + 2 * 3_600_000), `gap at ${new Date(gap.time).toISOString()}`);
    }
    const lost = landed.gaps.reduce((sum, g) => sum + g.lost, 0);
    const overwritten = [...run.truth.keys()].filter((seq) => landed.gaps.some((g) => seq >= g.first && seq < g.first + g.lost)).length;
    assert.equal(overwritten, lost, "every number a gap covers was a logged sample the log overwrote");
  });

  it("sessions kept the modem on for at most about two minutes; it was off in between", () => {
    const longest = run.modemOn.reduce((max, on) => Math.max(max, on.to - on.from), 0);
    assert.ok(longest <= 135_000, `longest modem-on stretch ${longest} ms`);
    const onMs = run.modemOn.reduce((sum, on) => sum + Math.min(on.to, run.world.board.scheduler.now) - on.from, 0);
    assert.ok(onMs < 0.02 * (DAYS + 1) * DAY, `modem on ${Math.round(onMs / 1000)} s in ${DAYS + 1} days`);
  });
});
