/**
 * `datalogger decode FILE|-`: shows what an uplink packet, a report payload, a downlink payload or
 * a log partition image holds, as readable rows or (`--csv`) as CSV. The input may be raw bytes or
 * hex text (as in the docs' worked examples). The kind is found by trying the formats' own
 * decoders (each checks its CRC), or given with `--as`.
 */
import { readFileSync } from "node:fs";
import { decodeLogImage } from "../../../modules/log/decode-image.js";
import { decodeDownlink, type DownlinkMessage } from "../../../modules/uplink/downlink.js";
import { decodePacket } from "../../../modules/uplink/packet.js";
import type { UplinkRecord } from "../../../modules/uplink/records.js";
import { decodeReports } from "../../../modules/uplink/report.js";
import { describeReport } from "../server/receiver.js";
import { parseArgs } from "./args.js";
import { formatGapRow, formatSampleRow } from "./csv-landing.js";

const KINDS = ["packet", "report", "downlink", "image"] as const;
type Kind = (typeof KINDS)[number];
const CSV_HEADER = "record,channel,time_utc,seq,value,time_quality,fault,flags,lost,reason";

/** Hex text (any whitespace, optional 0x) becomes bytes; anything else is taken as raw bytes. */
export function inputBytes(raw: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(raw).trim();
  if (!text || !/^(?:0x)?[0-9a-fA-F\s]+$/.test(text)) return raw;
  const digits = text.replace(/^0x/, "").replace(/\s+/g, "");
  if (digits.length % 2) return raw;
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function recordRow(record: UplinkRecord, csv: boolean): string {
  if (record.kind === "sample") {
    if (csv) return `sample,${record.sample.channel},${formatSampleRow(record)},,`;
    const [time, seq, value, quality, fault, flags] = formatSampleRow(record).split(",");
    return `  #${seq.padEnd(8)} ${time}  ch ${String(record.sample.channel).padEnd(5)} ${(fault || value).padEnd(14)} ${quality.padEnd(7)} ${flags}`;
  }
  const [time, seq, lost, reason] = formatGapRow(record).split(",");
  return csv ? `gap,,${time},${seq},,,,,${lost},${reason}` : `  #${seq.padEnd(8)} ${time}  gap of ${lost} (${reason})`;
}

function describeDownlink(message: DownlinkMessage): string {
  switch (message.kind) {
    case "ack":
      return `  ack of the packet from #${message.answers}: stored up to ${message.acked === undefined ? "nothing yet" : `#${message.acked}`}, ` +
        `server time ${new Date(message.serverTime).toISOString()}`;
    case "config": return `  configuration version ${message.version}: ${message.document}`;
    case "update": return `  update notice of ${message.notice.length} bytes`;
    case "unknown": return `  message of unknown kind ${message.code} (skipped)`;
  }
}

/** The lines that show `bytes` decoded as `kind`; throws when they are not one. */
export function decodeAs(kind: Kind, bytes: Uint8Array, csv: boolean, blockSize: number, writeGranularity: number): string[] {
  switch (kind) {
    case "packet": {
      const packet = decodePacket(bytes);
      const rows = packet.records.map((record) => recordRow(record, csv));
      return csv ? rows : [`uplink packet: device ${packet.deviceId}, ${packet.records.length} records${packet.sparse ? " (sparse)" : ""}, ${bytes.length} bytes`, ...rows];
    }
    case "report": {
      const { deviceId, reports } = decodeReports(bytes);
      return [`reports from device ${deviceId}:`, ...reports.map((report) => `  ${describeReport(report)}`)];
    }
    case "downlink":
      return ["downlink:", ...decodeDownlink(bytes).map(describeDownlink)];
    case "image": {
      const log = decodeLogImage(bytes, { blockSize, writeGranularity });
      const rows = log.records.map((record) => recordRow(record, csv));
      if (csv) return rows;
      const { state, geometry } = log;
      return [
        `log image: ${geometry.sectors} sectors of ${geometry.sectorSize} B, ${state.ring ? `${state.ring.length} in the ring, head ${state.ring.head}` : "no log"}, ` +
          `newest #${state.newestSeq}, acknowledged #${state.acked}${state.tornTail ? ", torn tail" : ""}`,
        ...rows,
      ];
    }
  }
}

export async function decodeCommand(args: string[]): Promise<number> {
  const file = args[0];
  if (!file || file.startsWith("--")) throw new Error("usage: datalogger decode FILE|- [--csv] [--as packet|report|downlink|image] [--block-size 4096] [--write-granularity 1]");
  const parsed = parseArgs(args.slice(1), ["as", "block-size", "write-granularity"], ["csv"]);
  const csv = parsed.flags.has("csv");
  const as = parsed.values.get("as");
  if (as !== undefined && !(KINDS as readonly string[]).includes(as)) throw new Error(`--as must be one of ${KINDS.join(", ")}`);
  const blockSize = Number(parsed.values.get("block-size") ?? 4096);
  const writeGranularity = Number(parsed.values.get("write-granularity") ?? 1);
  const bytes = inputBytes(new Uint8Array(readFileSync(file === "-" ? 0 : file)));
  const problems: string[] = [];
  for (const kind of as ? [as as Kind] : KINDS) {
    try {
      const lines = decodeAs(kind, bytes, csv, blockSize, writeGranularity);
      if (csv && (kind === "packet" || kind === "image")) console.log(CSV_HEADER);
      console.log(lines.join("\n"));
      return 0;
    } catch (error) {
      problems.push(`not ${kind === "image" ? "a log image" : `a ${kind}`}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.error(`${file}: ${bytes.length} bytes that decode as nothing known\n  ${problems.join("\n  ")}`);
  return 1;
}
