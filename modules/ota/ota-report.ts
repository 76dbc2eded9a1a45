/**
 * The updater's status and history for the uplink (docs/firmware-update.md "Update report") and
 * its one-line form for health traces. One encoder, one decoder.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import type { HistoryEntry } from "./history.js";
import { code, readHistory, TARGETS, trialOutcomeCode, trialOutcomeOf, writeHistory } from "./history-codec.js";
import { PHASES } from "./journal-state.js";
import type { OtaActivity, OtaStatus } from "./ota-agent.js";
import { formatVersion, parseVersion, readVersion, writeVersion } from "./version.js";

export const OTA_REPORT_FORMAT = 1;
const ACTIVITIES: readonly OtaActivity[] = ["idle", "self-check", "downloading", "verifying", "modem-updating"];
const TEST_BOOT = 0x01;

export interface OtaReport {
  status: OtaStatus;
  history: HistoryEntry[];
}

function versionOf(text: string): { major: number; minor: number; patch: number } {
  const version = parseVersion(text);
  if (!version) throw new RangeError(`version "${text}" is not major.minor.patch`);
  return version;
}

/** Modem progress is live detail for the console, not carried. */
export function encodeOtaReport(report: OtaReport): Uint8Array {
  const { status } = report;
  const out = new ByteWriter(128);
  out.u8(OTA_REPORT_FORMAT);
  writeVersion(out, versionOf(status.running.version));
  out.u32(status.running.securityCounter);
  out.u8(status.running.testBoot ? TEST_BOOT : 0);
  out.u32(status.securityFloor);
  out.u32(status.lastTrial.mark);
  out.u8(trialOutcomeCode(status.lastTrial.outcome));
  out.u8(ACTIVITIES.indexOf(status.activity));
  const update = status.update;
  out.u8(update ? 1 : 0);
  if (update) {
    out.u8(TARGETS.indexOf(update.target));
    writeVersion(out, versionOf(update.version));
    out.u8(PHASES.indexOf(update.phase));
    out.u32(update.written);
    out.u32(update.size);
    out.uvarint(update.sessions);
    out.uvarint(update.failures);
  }
  writeHistory(out, report.history);
  return out.finish();
}

export function decodeOtaReport(bytes: Uint8Array): OtaReport {
  const reader = new ByteReader(bytes);
  const format = reader.u8();
  if (format !== OTA_REPORT_FORMAT) throw new FormatError(`update report format ${format} is unknown`);
  const version = formatVersion(readVersion(reader));
  const securityCounter = reader.u32();
  const flags = reader.u8();
  if ((flags & ~TEST_BOOT) !== 0) throw new FormatError(`unknown running-image flags ${flags}`);
  const securityFloor = reader.u32();
  const mark = reader.u32();
  const outcome = trialOutcomeOf(reader.u8());
  if (!outcome) throw new FormatError("unknown trial outcome");
  const status: OtaStatus = {
    running: { version, securityCounter, testBoot: (flags & TEST_BOOT) !== 0 },
    securityFloor,
    lastTrial: { mark, outcome },
    activity: code(ACTIVITIES, reader.u8(), "activity"),
  };
  const hasUpdate = reader.u8();
  if (hasUpdate > 1) throw new FormatError("update flag must be 0 or 1");
  if (hasUpdate) {
    status.update = {
      target: code(TARGETS, reader.u8(), "update target"),
      version: formatVersion(readVersion(reader)),
      phase: code(PHASES, reader.u8(), "update phase"),
      written: reader.u32(),
      size: reader.u32(),
      sessions: reader.uvarint(),
      failures: reader.uvarint(),
    };
  }
  const history = readHistory(reader);
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} byte(s) after the update report`);
  return { status, history };
}

/** The health trace's update part: `ota run=1.0.0/2 floor=2 trial=1:confirmed idle update=- last=installed 1.0.0`. */
export function formatOtaHealth(report: OtaReport): string {
  const { status } = report;
  const trial = status.lastTrial.outcome;
  const trialText = trial.kind === "rolled-back" ? `rolled-back(${trial.cause})` : trial.kind;
  const update = status.update;
  const updateText = update ? `${update.target}:${update.version}:${update.phase}:${update.written}/${update.size}` : "-";
  const last = report.history[report.history.length - 1];
  const lastText = last ? `${last.outcome} ${last.target === "modem" ? "modem " : ""}${formatVersion(last.version)}` : "-";
  return `ota run=${status.running.version}/${status.running.securityCounter}${status.running.testBoot ? "(trial)" : ""} ` +
    `floor=${status.securityFloor} trial=${status.lastTrial.mark}:${trialText} ${status.activity} update=${updateText} last=${lastText}`;
}
