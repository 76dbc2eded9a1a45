/**
 * docs/firmware-update.md §13's examples of the ESP32 firmware-slot formats, and docs/hardware.md's
 * ESP32 partition table, against the code and hosts/esp32/partitions.csv.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { formatImageIdentity } from "../../hosts/moddable/image-identity.js";
import { encodeTrialRecord } from "../../hosts/moddable/trial-record.js";
import { TRIAL_RECORD_EXAMPLE } from "./esp-ota-formats.cases.js";

const spaced = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

describe("ESP32 firmware slots in the documents", () => {
  const update = readFileSync("docs/firmware-update.md", "utf8");
  const section = update.slice(update.indexOf("## 13."), update.indexOf("## 14."));

  it("§13's trial record example is what the encoder writes", () => {
    const bytes = encodeTrialRecord(TRIAL_RECORD_EXAMPLE.record);
    const fields = [bytes.subarray(0, 1), bytes.subarray(1, 5), bytes.subarray(5, 6), bytes.subarray(6, 7), bytes.subarray(7)];
    assert.ok(section.includes("mark 3, slot 1 (`ota_1`),\npending, floor 2"));
    assert.ok(section.includes(fields.map((f) => `\`${spaced(f)}\``).join(" · ")), "the record's bytes, field by field");
  });

  it("§13's identity example is what esp_app_desc_t.version holds", () => {
    const text = formatImageIdentity({ version: "1.2.0", securityCounter: 2 });
    assert.ok(section.includes(`identity\n\`${text}\``));
    const field = Uint8Array.from([...text].map((c) => c.charCodeAt(0)).concat([0]));
    assert.ok(section.includes(`\`${spaced(field)}\``));
  });

  it("docs/hardware.md lists the partitions of partitions.csv, in order, at their offsets", () => {
    const csv = readFileSync("hosts/esp32/partitions.csv", "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"))
      .map((l) => l.split(",").map((f) => f.trim())).map(([name, type, subtype, offset]) => `${name} ${type} ${subtype} ${Number(offset)}`);
    const hardware = readFileSync("docs/hardware.md", "utf8");
    const table = hardware.slice(hardware.indexOf("### ESP32 partition table"), hardware.indexOf("### nRF52840 flash layout"));
    const documented = table.split("\n").filter((l) => /^\| \w+ \| (data|app) \|/.test(l))
      .map((l) => l.split("|").map((c) => c.trim())).map(([, name, type, subtype, offset]) => `${name} ${type} ${subtype} ${Number(offset)}`);
    assert.deepEqual(documented, csv);
  });
});
