/**
 * Lands decoded samples as CSV files: one file per device, channel and UTC day, named by a
 * pattern (`{device}`, `{channel}`, `{date}`), like the CSV agent that customers already run.
 * Gaps go to a per-device file so that a missing stretch is never silent.
 */
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { SampleFlag, SensorFault, timeQualityOf } from "../../../modules/records/sample.js";
import type { GapRecord, SampleRecord } from "../../../modules/uplink/records.js";
import { GapReason } from "../../../modules/uplink/records.js";
import type { IngestListener } from "../server/ingest.js";

export const DEFAULT_CSV_PATTERN = "{device}/{device}_ch{channel}_{date}.csv";
export const SAMPLE_CSV_HEADER = "time_utc,seq,value,time_quality,fault,flags";
export const GAP_CSV_HEADER = "time_utc,first_seq,lost,reason";

const FAULT_NAMES = new Map<number, string>(Object.entries(SensorFault).map(([name, code]): [number, string] => [code, name]));
const GAP_NAMES = new Map<number, string>(Object.entries(GapReason).map(([name, code]): [number, string] => [code, name]));
const FLAG_NAMES: Array<[number, string]> = [
  [SampleFlag.Saturated, "saturated"],
  [SampleFlag.AlarmRaised, "alarm"],
  [SampleFlag.AlarmCleared, "alarm-cleared"],
  [SampleFlag.Event, "event"],
];

/**
 * The shortest decimal that is the same float32 as `value`: what the logger measured and stored
 * (2.345, not 2.3450000286102295), and it reads back to exactly the stored value.
 */
export function float32Text(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === Math.fround(value)) return text;
  }
  return String(value);
}

export function formatSampleRow(record: SampleRecord): string {
  const { sample } = record;
  const faulted = (sample.flags & SampleFlag.Fault) !== 0;
  const flags = FLAG_NAMES.filter(([bit]) => sample.flags & bit).map(([, name]) => name).join("|");
  return [
    new Date(sample.time).toISOString(),
    record.seq,
    faulted ? "" : float32Text(sample.value),
    timeQualityOf(sample.flags),
    faulted ? FAULT_NAMES.get(sample.value) ?? `code-${sample.value}` : "",
    flags,
  ].join(",");
}

export function formatGapRow(record: GapRecord): string {
  return [new Date(record.time).toISOString(), record.seq, record.lost, GAP_NAMES.get(record.reason) ?? `reason-${record.reason}`].join(",");
}

export class CsvLanding implements IngestListener {
  rows = 0;

  constructor(readonly dataDir: string, readonly pattern = DEFAULT_CSV_PATTERN) {}

  onSample(deviceId: number, record: SampleRecord): void {
    const date = new Date(record.sample.time).toISOString().slice(0, 10);
    const path = join(this.dataDir, this.pattern
      .replace(/\{device\}/g, String(deviceId))
      .replace(/\{channel\}/g, String(record.sample.channel))
      .replace(/\{date\}/g, date));
    this.#append(path, SAMPLE_CSV_HEADER, formatSampleRow(record));
  }

  onGap(deviceId: number, record: GapRecord): void {
    this.#append(join(this.dataDir, String(deviceId), `${deviceId}_gaps.csv`), GAP_CSV_HEADER, formatGapRow(record));
  }

  #append(path: string, header: string, row: string): void {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, `${header}\n`);
    }
    appendFileSync(path, `${row}\n`);
    this.rows++;
  }
}
