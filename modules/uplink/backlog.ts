/**
 * Turns the log's unacknowledged records into packets: the backlog oldest first, each packet as
 * long as fits the modem's 4 KiB publish; and, after an outage, the alarm records buried in a
 * backlog longer than one packet, ahead of it in a sparse packet, so that the server hears of
 * them first. The sparse packet's records are sent again in order later; the server keeps one copy.
 */
import { SampleFlag } from "../records/sample.js";
import { encodePacket, MAX_PACKET_BYTES } from "./packet.js";
import { nextSeq, type UplinkRecord } from "./records.js";

export interface RecordSource {
  read(fromSeq: number, maxRecords: number): UplinkRecord[];
}

export interface BuiltPacket {
  bytes: Uint8Array;
  /** Sequence number of the first record: what the server's acknowledgement names. */
  firstSeq: number;
  /** Last sequence number the packet accounts for (a gap's last lost number included). */
  lastSeq: number;
  records: number;
  sparse: boolean;
}

/** More than one packet ever holds (about 1.2 bytes per sample at best). */
const READ_RECORDS = 3500;
const SCAN_CHUNK = 1024;
const ALARM_FLAGS = SampleFlag.AlarmRaised | SampleFlag.AlarmCleared;

export type Restamp = (record: UplinkRecord) => UplinkRecord;

function built(records: UplinkRecord[], bytes: Uint8Array, sparse: boolean): BuiltPacket {
  let lastSeq = records[0].seq;
  for (const record of records) lastSeq = Math.max(lastSeq, nextSeq(record) - 1);
  return { bytes, firstSeq: records[0].seq, lastSeq, records: records.length, sparse };
}

/** The next packet of the backlog from `fromSeq`, or undefined when nothing durable is left. */
export function backlogPacket(source: RecordSource, deviceId: number, fromSeq: number, restamp: Restamp, maxBytes = MAX_PACKET_BYTES): BuiltPacket | undefined {
  const records = source.read(fromSeq, READ_RECORDS).map(restamp);
  if (!records.length) return undefined;
  const { bytes, count } = encodePacket(deviceId, records, { maxBytes });
  return built(records.slice(0, count), bytes, false);
}

/**
 * Alarm records from `fromSeq` on, at most `scanLimit` records read, in one sparse packet; undefined
 * when there are none.
 */
export function alarmPacket(source: RecordSource, deviceId: number, fromSeq: number, restamp: Restamp, scanLimit: number, maxBytes = MAX_PACKET_BYTES): BuiltPacket | undefined {
  const alarms: UplinkRecord[] = [];
  let seq = fromSeq;
  for (let scanned = 0; scanned < scanLimit;) {
    const chunk = source.read(seq, Math.min(SCAN_CHUNK, scanLimit - scanned));
    if (!chunk.length) break;
    for (const record of chunk) if (record.kind === "sample" && record.sample.flags & ALARM_FLAGS) alarms.push(restamp(record));
    scanned += chunk.length;
    seq = nextSeq(chunk[chunk.length - 1]);
  }
  if (!alarms.length) return undefined;
  const { bytes, count } = encodePacket(deviceId, alarms, { maxBytes, sparse: true });
  return built(alarms.slice(0, count), bytes, true);
}
