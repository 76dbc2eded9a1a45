/**
 * What the ESP32 firmware-slot binding reads and decides without the chip: ESP-IDF application
 * images, the image identity string, the trial record kept in NVS, and what a boot makes of the
 * last trial from the IDF's image states.
 */
import { FormatError } from "../../modules/codec/byte-reader.js";
import type { ResetReason } from "../../modules/platform/platform.js";
import { readEspAppImage } from "../../hosts/moddable/esp-app-image.js";
import { OtaImageState, reconcileTrial, type BootFacts } from "../../hosts/moddable/esp-trial-state.js";
import { formatImageIdentity, parseImageIdentity } from "../../hosts/moddable/image-identity.js";
import { decodeTrialRecord, encodeTrialRecord, FRESH_TRIAL_RECORD, type TrialRecord } from "../../hosts/moddable/trial-record.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, throws } from "../support/assert.js";
import { buildEspAppImage } from "./fakes/esp-app-image.js";

const readerOf = (bytes: Uint8Array) => (offset: number, length: number) => bytes.slice(offset, offset + length);

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The worked example of docs/firmware-update.md §13. */
export const TRIAL_RECORD_EXAMPLE = {
  record: { mark: 3, slot: 1, outcome: { kind: "pending" }, floor: 2 } as TrialRecord,
  hex: "0103000000010102000000",
};

const boot = (facts: Partial<BootFacts>): BootFacts => ({
  runningSlot: 0, runningState: OtaImageState.Valid, otherState: OtaImageState.Undefined, resetReason: "power-on", runningCounter: 1, ...facts,
});

export const cases: TestCase[] = [
  {
    name: "an ESP-IDF image: chip, length to the end of the appended digest, and the application description",
    run() {
      const image = buildEspAppImage({ version: "1.2.0+sc2", secureVersion: 2, chipId: 0, payloadBytes: 301 });
      const partition = new Uint8Array(8192).fill(0xff);
      partition.set(image);
      const read = readEspAppImage(readerOf(partition), partition.length);
      equal(read.byteLength, image.length);
      equal(read.byteLength % 16, 0, "checksum block and digest keep 16-byte alignment");
      equal(read.chipId, 0);
      deepEqual(read.description, { secureVersion: 2, version: "1.2.0+sc2", projectName: "xs_esp32" });
      const plain = buildEspAppImage({ version: "1.2.0+sc2", hashAppended: false, chipId: 9 });
      const unhashed = readEspAppImage(readerOf(plain), plain.length);
      equal(unhashed.byteLength, plain.length, "no digest: the image ends with its checksum block");
      equal(unhashed.chipId, 9);
    },
  },
  {
    name: "what is not an application image is refused with the reason",
    run() {
      const good = buildEspAppImage({ version: "1.2.0+sc2" });
      const broken = (change: (bytes: Uint8Array, view: DataView) => void, size = 8192) => {
        const bytes = new Uint8Array(size).fill(0xff);
        bytes.set(good.subarray(0, Math.min(good.length, size)));
        change(bytes, new DataView(bytes.buffer));
        return () => readEspAppImage(readerOf(bytes), size);
      };
      throws(broken(() => undefined, 0x40), FormatError, "a partition too small");
      throws(broken((b) => b.fill(0xff, 0, 24)), /no image header/);
      throws(broken((b) => (b[1] = 0)), /0 segments/);
      throws(broken((b) => (b[1] = 17)), /17 segments/);
      throws(broken((_, v) => v.setUint32(28, 258, true)), /not a multiple of 4/);
      throws(broken((_, v) => v.setUint32(28, 0x10000, true)), /segment 0 ends past the partition/);
      throws(broken(() => undefined, good.length - 16), /does not fit the partition/);
      throws(broken((b) => (b[32] = 0)), /no application description/);
      throws(broken((_, v) => v.setUint32(28, 64, true)), /too short for an application description/);
    },
  },
  {
    name: "the image identity is the version with the security counter as build metadata",
    run() {
      equal(formatImageIdentity({ version: "1.2.0", securityCounter: 2 }), "1.2.0+sc2");
      deepEqual(parseImageIdentity("1.2.0+sc2"), { version: "1.2.0", securityCounter: 2 });
      deepEqual(parseImageIdentity("65535.65535.65535+sc4294967295"), { version: "65535.65535.65535", securityCounter: 4294967295 });
      for (const bad of ["1.2.0", "1.2+sc1", "1.2.0+sc", "1.2.0+sc01", "1.2.0+sc-1", "1.2.0+sc4294967296", "v1.2.0+sc1", "1.2.0+sc1 "]) {
        equal(parseImageIdentity(bad), undefined, bad);
      }
      throws(() => formatImageIdentity({ version: "1.2", securityCounter: 1 }), RangeError);
      throws(() => formatImageIdentity({ version: "1.2.0", securityCounter: -1 }), RangeError);
      throws(() => formatImageIdentity({ version: "1.2.0", securityCounter: 2 ** 32 }), RangeError);
      equal(formatImageIdentity({ version: "65535.65535.65535", securityCounter: 4294967295 }).length, 30, "fits esp_app_desc_t.version");
    },
  },
  {
    name: "the trial record: the worked example, and what its decoder refuses",
    run() {
      equal(hex(encodeTrialRecord(TRIAL_RECORD_EXAMPLE.record)), TRIAL_RECORD_EXAMPLE.hex);
      deepEqual(decodeTrialRecord(encodeTrialRecord(TRIAL_RECORD_EXAMPLE.record)), TRIAL_RECORD_EXAMPLE.record);
      const rolledBack: TrialRecord = { mark: 70000, slot: 0, outcome: { kind: "rolled-back", cause: "invalid-image" }, floor: 4294967295 };
      deepEqual(decodeTrialRecord(encodeTrialRecord(rolledBack)), rolledBack);
      deepEqual(decodeTrialRecord(encodeTrialRecord(FRESH_TRIAL_RECORD)), FRESH_TRIAL_RECORD);
      const bytes = encodeTrialRecord(TRIAL_RECORD_EXAMPLE.record);
      const altered = (index: number, value: number) => {
        const copy = bytes.slice();
        copy[index] = value;
        return () => decodeTrialRecord(copy);
      };
      throws(altered(0, 2), /format 2/);
      throws(altered(6, 9), /outcome is unknown/);
      throws(altered(5, 0xff), /disagree/, "a pending trial without a slot");
      throws(() => decodeTrialRecord(Uint8Array.from([...bytes, 0])), /after the trial record/);
      throws(() => decodeTrialRecord(bytes.subarray(0, 10)), FormatError);
      throws(() => encodeTrialRecord({ ...FRESH_TRIAL_RECORD, slot: 255 }), RangeError);
    },
  },
  {
    name: "a boot settles the last trial: test boot, confirmed, or rolled back with the cause",
    run() {
      deepEqual(reconcileTrial(FRESH_TRIAL_RECORD, boot({ runningCounter: 3 })), { record: { ...FRESH_TRIAL_RECORD, floor: 3 }, testBoot: false },
        "the factory image sets the floor");
      const pending: TrialRecord = { mark: 4, slot: 1, outcome: { kind: "pending" }, floor: 2 };
      deepEqual(reconcileTrial(pending, boot({ runningSlot: 1, runningState: OtaImageState.PendingVerify, runningCounter: 3 })),
        { record: pending, testBoot: true }, "the trial itself: the floor waits for the confirmation");
      deepEqual(reconcileTrial({ ...pending, outcome: { kind: "confirmed" } }, boot({ runningSlot: 0, runningState: OtaImageState.PendingVerify })),
        { record: { ...pending, mark: 5, slot: 0 }, testBoot: true }, "a mark whose record was cut off is counted");
      deepEqual(reconcileTrial(pending, boot({ runningSlot: 1, runningState: OtaImageState.Valid, runningCounter: 3 })).record,
        { ...pending, outcome: { kind: "confirmed" }, floor: 3 }, "confirmed, record cut off");
      const causes: Array<[ResetReason, string]> = [
        ["crash", "crash"], ["watchdog", "watchdog"], ["restart", "restart"], ["power-on", "boot-attempts"], ["brownout", "boot-attempts"],
      ];
      for (const [resetReason, cause] of causes) {
        deepEqual(reconcileTrial(pending, boot({ otherState: OtaImageState.Aborted, resetReason })),
          { record: { ...pending, outcome: { kind: "rolled-back", cause } as TrialRecord["outcome"] }, testBoot: false }, resetReason);
      }
      equal(JSON.stringify(reconcileTrial(pending, boot({ otherState: OtaImageState.Invalid })).record.outcome), '{"kind":"rolled-back","cause":"rejected"}');
      for (const state of [OtaImageState.PendingVerify, OtaImageState.New, OtaImageState.Undefined]) {
        equal(JSON.stringify(reconcileTrial(pending, boot({ otherState: state, resetReason: "crash" })).record.outcome),
          '{"kind":"rolled-back","cause":"invalid-image"}', `other slot in state ${state}`);
      }
      const settled: TrialRecord = { ...pending, outcome: { kind: "rolled-back", cause: "crash" } };
      deepEqual(reconcileTrial(settled, boot({ otherState: OtaImageState.Aborted, resetReason: "watchdog" })).record, settled,
        "a settled trial stays as it was");
    },
  },
];
