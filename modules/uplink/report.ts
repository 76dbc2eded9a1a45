/**
 * What the logger tells the server besides its data (docs/downlink-format.md, "Reports"): the
 * result of a configuration change and of an update notice. A payload holds one or more reports,
 * each with its kind and length. This file holds the one encoder and the one decoder.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { readEntries, writeEntry } from "./entries.js";
import { CHECK_BYTES, seal, unseal } from "./sealed.js";

export const REPORT_VERSION = 1;
/** Longest detail text kept in a report; longer ones are cut (they are for people, not machines). */
export const MAX_DETAIL_BYTES = 512;

/** What became of a configuration change. */
export const ConfigOutcome = Object.freeze({
  /** Validated, applied, and a session reached the server with it. */
  Applied: 1,
  /** Not applied: the document did not parse or validate, or its version is not above the current one. */
  Rejected: 2,
  /** Applied, then undone: the logger could not reach the server with it. */
  Reverted: 3,
});
export type ConfigOutcomeCode = (typeof ConfigOutcome)[keyof typeof ConfigOutcome];

export interface ConfigResultReport {
  kind: "config-result";
  version: number;
  outcome: ConfigOutcomeCode;
  detail: string;
}

export interface UpdateResultReport {
  kind: "update-result";
  accepted: boolean;
  /** The updater's reason code when it refused ("" when accepted). */
  reason: string;
  detail: string;
}

export type UplinkReport = ConfigResultReport | UpdateResultReport;

const KIND_CODES = Object.freeze({ "config-result": 1, "update-result": 2 });
const utf8 = new TextEncoder();
const text = new TextDecoder();

function detailBytes(detail: string): Uint8Array {
  const bytes = utf8.encode(detail);
  if (bytes.length <= MAX_DETAIL_BYTES) return bytes;
  // Cut on a character boundary: continuation bytes are 10xxxxxx.
  let end = MAX_DETAIL_BYTES;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function encodeBody(report: UplinkReport): Uint8Array {
  const out = new ByteWriter(64);
  if (report.kind === "config-result") {
    out.uvarint(report.version);
    out.u8(report.outcome);
  } else {
    out.u8(report.accepted ? 1 : 0);
    const reason = utf8.encode(report.reason);
    out.uvarint(reason.length);
    out.bytes(reason);
  }
  out.bytes(detailBytes(report.detail));
  return out.finish();
}

export function encodeReports(deviceId: number, reports: readonly UplinkReport[]): Uint8Array {
  const out = new ByteWriter(128);
  out.u8(REPORT_VERSION);
  out.uvarint(deviceId);
  for (const report of reports) writeEntry(out, KIND_CODES[report.kind], encodeBody(report));
  return seal(out.finish());
}

function decodeBody(code: number, body: ByteReader): UplinkReport {
  if (code === KIND_CODES["config-result"]) {
    const version = body.uvarint();
    const outcome = body.u8();
    if (outcome < ConfigOutcome.Applied || outcome > ConfigOutcome.Reverted) throw new FormatError(`unknown configuration outcome ${outcome}`);
    return { kind: "config-result", version, outcome: outcome as ConfigOutcomeCode, detail: text.decode(body.take(body.remaining)) };
  }
  if (code === KIND_CODES["update-result"]) {
    const accepted = body.u8();
    if (accepted > 1) throw new FormatError("update result neither accepted nor refused");
    const reason = text.decode(body.take(body.uvarint()));
    return { kind: "update-result", accepted: accepted === 1, reason, detail: text.decode(body.take(body.remaining)) };
  }
  throw new FormatError(`unknown report kind ${code}`);
}

/** Throws FormatError for a payload that is not exactly a well-formed set of reports. */
export function decodeReports(payload: Uint8Array): { deviceId: number; reports: UplinkReport[] } {
  if (payload.length < CHECK_BYTES + 2) throw new FormatError("report payload too short");
  const input = new ByteReader(unseal(payload, "report"));
  const version = input.u8();
  if (version !== REPORT_VERSION) throw new FormatError(`unknown report version ${version}`);
  const deviceId = input.uvarint();
  const reports = readEntries(input, decodeBody);
  if (reports.length === 0) throw new FormatError("a report payload without reports");
  return { deviceId, reports };
}
