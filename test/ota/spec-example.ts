/** The worked examples of docs/firmware-update.md, computed by the code (Node-free). */
import { bytesToHex } from "@noble/hashes/utils.js";
import { ByteWriter } from "../../modules/codec/byte-writer.js";
import { sha256 } from "../../modules/crypto/sha256.js";
import type { HistoryEntry } from "../../modules/ota/history.js";
import { writeHistory } from "../../modules/ota/history-codec.js";
import { decodeManifest } from "../../modules/ota/manifest.js";
import { encodeNotice } from "../../modules/ota/notice.js";
import { JournalStore } from "../../modules/ota/journal-store.js";
import { encodeOtaReport } from "../../modules/ota/ota-report.js";
import { NorFlash } from "../../hosts/sim/nor-flash.js";
import { encodeBootState } from "../../hosts/sim/ota/boot-state.js";
import { DEV_SIGNING_KEY } from "../../hosts/sim/ota/dev-key.js";
import { encodeSimImage } from "../../hosts/sim/ota/sim-image.js";
import { signManifest } from "../../hosts/sim/ota/signing.js";

export const EXAMPLE_URL = "https://updates.datalogger.example/images/1.2.0.bin";
export const EXAMPLE_HISTORY: HistoryEntry[] = [{ outcome: "installed", target: "logger", version: { major: 1, minor: 2, patch: 0 }, atS: 1_780_000_000 }];

export function specExample(): Array<[string, string]> {
  const image = encodeSimImage({
    version: "1.2.0", securityCounter: 2, model: "DL-1", behaviour: 0, payload: Uint8Array.from("hello logger", (c) => c.charCodeAt(0)),
  });
  const manifest = signManifest(image, { version: "1.2.0", securityCounter: 2, model: "DL-1" }, DEV_SIGNING_KEY);
  const { body, signature } = decodeManifest(manifest);
  const history = new ByteWriter();
  writeHistory(history, EXAMPLE_HISTORY);
  const journal = new NorFlash({ blocks: 2 });
  const store = new JournalStore(journal);
  store.load();
  store.save({ history: EXAMPLE_HISTORY });
  const recordLength = 12 + 1 + 1 + 1 + history.length + 4;
  const report = encodeOtaReport({
    status: {
      running: { version: "1.2.0", securityCounter: 2, testBoot: false }, securityFloor: 2,
      lastTrial: { mark: 1, outcome: { kind: "confirmed" } }, activity: "idle",
    },
    history: EXAMPLE_HISTORY,
  });
  const bootState = encodeBootState({
    seq: 3, active: 0, pending: 1, attempts: 1, mark: 1, outcome: { kind: "pending" }, securityFloor: 1,
  });
  return [
    ["dev_public_key", bytesToHex(DEV_SIGNING_KEY.publicKey)],
    ["dev_key_id", bytesToHex(DEV_SIGNING_KEY.keyId)],
    ["image", bytesToHex(image)],
    ["image_sha256", bytesToHex(sha256(image))],
    ["manifest_body", bytesToHex(body)],
    ["manifest_signature", bytesToHex(signature)],
    ["notice", bytesToHex(encodeNotice({ manifest, url: EXAMPLE_URL }))],
    ["history", bytesToHex(history.finish())],
    ["journal_record", bytesToHex(journal.read(0, recordLength))],
    ["update_report", bytesToHex(report)],
    ["boot_state", bytesToHex(bootState)],
  ];
}
