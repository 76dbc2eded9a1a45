/**
 * The ESP32 firmware slots (hosts/moddable/esp-firmware-slots.ts) against a model of ESP-IDF's
 * app_update and bootloader with app rollback (fakes/esp-idf-ota.ts): updates that confirm, test
 * boots that crash, lose power, reject themselves or do not verify, re-marking a slot after a
 * rollback, power cuts between an IDF step and the binding's record, and refused marks.
 */
import { FirmwareSlotError, type FirmwareSlots } from "../../modules/platform/update.js";
import type { ResetReason } from "../../modules/platform/platform.js";
import { EspFirmwareSlots, TRIAL_RECORD_KEY, type EspSlotParts } from "../../hosts/moddable/esp-firmware-slots.js";
import { OtaImageState } from "../../hosts/moddable/esp-trial-state.js";
import { firmwareSlotsOrUnavailable } from "../../hosts/moddable/unavailable-firmware-slots.js";
import { NorFlash, PowerCut } from "../../hosts/sim/nor-flash.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import { buildEspAppImage } from "./fakes/esp-app-image.js";
import { EspBoard, expected, release, type Release } from "./fakes/esp-board.js";

function outcome(slots: FirmwareSlots): string {
  const trial = slots.lastTrial();
  const o = trial.outcome;
  return `${trial.mark}:${o.kind === "rolled-back" ? `rolled-back ${o.cause}` : o.kind}`;
}

export const cases: TestCase[] = [
  {
    name: "the factory image runs confirmed; an update is marked, test-booted once, confirmed, and raises the floor",
    run() {
      const board = new EspBoard();
      deepEqual(board.slots.running(), { version: "0.1.0", securityCounter: 1, model: "DL-1", testBoot: false });
      equal(outcome(board.slots), "0:none");
      equal(board.slots.securityFloor(), 1, "the factory image's counter");
      equal(board.slots.slotBytes, 16 * 4096);
      ok(board.records.read(TRIAL_RECORD_KEY), "the record is in NVS from the first boot");

      const update = release("1.1.0", 2);
      board.install(update);
      equal(outcome(board.slots), "1:pending");
      equal(board.slots.running().testBoot, false, "the old image runs until the reset");

      const trial = board.boot("restart");
      equal(board.idf.running, 1);
      deepEqual(trial.running(), { version: "1.1.0", securityCounter: 2, model: "DL-1", testBoot: true });
      throws(() => trial.inactiveSlot(), /fallback image/);
      throws(() => trial.markBootable(expected(update)), /during a test boot/);
      equal(trial.securityFloor(), 1, "the floor waits for the confirmation");
      trial.confirm();
      equal(outcome(trial), "1:confirmed");
      equal(trial.securityFloor(), 2);
      equal(trial.running().testBoot, false);
      throws(() => trial.confirm(), /not on trial/);
      throws(() => trial.reject(), /not on trial/);

      const after = board.boot("watchdog");
      equal(board.idf.running, 1, "a confirmed image stays after any reset");
      equal(outcome(after), "1:confirmed");
      equal(after.running().testBoot, false);
    },
  },
  {
    name: "a test boot that crashes is rolled back (cause crash); marking the same slot again is a new trial",
    run() {
      const board = new EspBoard();
      const update = release("1.1.0", 2);
      board.install(update);
      board.boot("restart");
      equal(board.slots.running().testBoot, true);
      const back = board.boot("crash");
      equal(board.idf.running, 0);
      equal(outcome(back), "1:rolled-back crash");
      equal(back.securityFloor(), 1);
      equal(back.running().version, "0.1.0");

      // otadata gives the re-marked slot the sequence number it had: the mark count is the record's.
      const seqBefore = board.idf.otadata.map((e) => e?.seq);
      board.slots.markBootable(expected(update));
      deepEqual(board.idf.otadata.map((e) => e?.seq), seqBefore, "the IDF reuses the sequence number");
      equal(outcome(board.slots), "2:pending");
      board.boot("restart");
      equal(board.slots.running().testBoot, true);
      board.slots.confirm();
      equal(outcome(board.slots), "2:confirmed");
    },
  },
  {
    name: "every reset during the single test boot rolls back, with the reset as the cause",
    run() {
      const causes: Array<[ResetReason, string]> = [["watchdog", "watchdog"], ["restart", "restart"], ["power-on", "boot-attempts"], ["brownout", "boot-attempts"]];
      for (const [reason, cause] of causes) {
        const board = new EspBoard();
        board.install(release("1.1.0", 2));
        board.boot("restart");
        equal(outcome(board.boot(reason)), `1:rolled-back ${cause}`, reason);
        equal(board.idf.running, 0, reason);
      }
    },
  },
  {
    name: "reject marks the image invalid and restarts; on the first update of a blank otadata the IDF refuses, and the reset rolls back all the same",
    run() {
      const board = new EspBoard();
      board.install(release("1.1.0", 2));
      board.boot("restart");
      const first = board.slots;
      first.reject();
      equal(board.idf.restartRequested, false, "no earlier entry in otadata: the IDF refused");
      equal(board.idf.calls[board.idf.calls.length - 1], "mark_invalid");
      equal(outcome(first), "1:rolled-back rejected");
      equal(first.running().testBoot, false);
      throws(() => first.confirm(), /not on trial/, "a rejected image cannot be confirmed");
      equal(outcome(board.boot("restart")), "1:rolled-back rejected");
      equal(board.idf.running, 0);

      const fixed = release("1.1.1", 2);
      board.install(fixed);
      board.boot("restart");
      board.slots.confirm();
      board.install(release("1.2.0", 2));
      board.boot("restart");
      board.slots.reject();
      equal(board.idf.restartRequested, true, "with the previous image in otadata, the IDF marks invalid and restarts");
      deepEqual(board.idf.otadata.map((e) => e?.state).sort(), [OtaImageState.Valid, OtaImageState.Invalid]);
      equal(outcome(board.boot("restart")), "3:rolled-back rejected");
      equal(board.slots.running().version, "1.1.1");
    },
  },
  {
    name: "an image that no longer verifies at the reset is passed over by the bootloader (cause invalid-image)",
    run() {
      const board = new EspBoard();
      board.install(release("1.1.0", 2));
      board.idf.slots[1].write(400, new Uint8Array(4));
      const back = board.boot("restart");
      equal(board.idf.running, 0);
      equal(outcome(back), "1:rolled-back invalid-image");
    },
  },
  {
    name: "power cut after the IDF marked or confirmed but before the record: the next boot counts it",
    run() {
      const board = new EspBoard();
      board.download(release("1.1.0", 2));
      board.records.cutAtNextWrite = true;
      throws(() => board.slots.markBootable(expected(release("1.1.0", 2))), PowerCut);
      const trial = board.boot("power-on");
      equal(trial.running().testBoot, true, "the mark had landed");
      equal(outcome(trial), "1:pending");
      board.records.cutAtNextWrite = true;
      throws(() => trial.confirm(), PowerCut);
      const after = board.boot("power-on");
      equal(after.running().version, "1.1.0");
      equal(outcome(after), "1:confirmed");
      equal(after.securityFloor(), 2);
    },
  },
  {
    name: "markBootable refuses a slot that does not hold the expected image for this chip, and changes nothing",
    run() {
      const board = new EspBoard(release("1.0.0", 3));
      const slots = board.slots;
      throws(() => slots.markBootable({ byteLength: 100, version: "1.1.0", securityCounter: 3 }), /holds no ESP32 application image/);
      const update = release("1.1.0", 3);
      board.download(update);
      const refusals: Array<[Partial<ReturnType<typeof expected>>, RegExp]> = [
        [{ version: "1.1.1" }, /not 1\.1\.1/],
        [{ securityCounter: 4 }, /counter 4/],
        [{ byteLength: update.image.length - 16 }, /bytes\)$/],
        [{ byteLength: Math.ceil(update.image.length / 4096) * 4096 + 4097 }, /bytes\)$/],
      ];
      for (const [change, message] of refusals) throws(() => slots.markBootable({ ...expected(update), ...change }), message);
      slots.markBootable({ ...expected(update), byteLength: Math.ceil(update.image.length / 4096) * 4096 + 1216 });
      equal(outcome(slots), "1:pending", "a signature sector after the image is room the file may take");

      const check = (r: Release, message: RegExp) => {
        const fresh = new EspBoard(release("1.0.0", 3));
        fresh.download(r);
        const calls = fresh.idf.calls.length;
        const before = fresh.records.read(TRIAL_RECORD_KEY);
        throws(() => fresh.slots.markBootable(expected(r)), message);
        equal(fresh.idf.calls.length, calls, "nothing asked of the IDF");
        deepEqual(fresh.records.read(TRIAL_RECORD_KEY), before);
        equal(outcome(fresh.slots), "0:none");
      };
      check(release("1.1.0", 2), /below the floor 3/);
      check(release("1.1.0", 3, { chipId: 9 }), /for chip 9/);
      check(release("1.1.0", 3, { secureVersion: 2 }), /secure_version 2/);
      check({ image: buildEspAppImage({ version: "1.1.0" }), version: "1.1.0", securityCounter: 3 }, /not "<major.minor.patch>\+sc<counter>"/);

      const corrupt = new EspBoard(release("1.0.0", 3));
      corrupt.download(update);
      corrupt.idf.slots[1].write(400, new Uint8Array(4));
      throws(() => corrupt.slots.markBootable(expected(update)), /esp_ota_set_boot_partition failed: ESP_ERR_OTA_VALIDATE_FAILED/);
      equal(outcome(corrupt.slots), "0:none");
    },
  },
  {
    name: "a board whose slots cannot be opened runs without updates and says why",
    run() {
      const attempt = (change: (parts: EspSlotParts) => EspSlotParts) => {
        const board = new EspBoard();
        const reports: string[] = [];
        const slots = firmwareSlotsOrUnavailable(() => new EspFirmwareSlots(change(board.parts("power-on"))), (line) => reports.push(line));
        equal(slots.slotBytes, 0);
        equal(reports.length, 1);
        throws(() => slots.markBootable({ byteLength: 1, version: "1.0.0", securityCounter: 1 }), FirmwareSlotError);
        return reports[0];
      };
      ok(/two OTA app partitions/.test(attempt((p) => ({ ...p, ota: { ...p.ota, slotIndex: () => -1 } }))));
      ok(/two erase blocks/.test(attempt((p) => ({ ...p, journal: new NorFlash({ blocks: 1 }) }))));
      const bare = new NorFlash({ blocks: 16 });
      bare.write(0, buildEspAppImage({ version: "0.1.0" }));
      ok(/declares version "0.1.0"/.test(attempt((p) => ({ ...p, running: bare }))));
      ok(/trial record in NVS is unreadable/.test(attempt((p) => {
        p.records.write(TRIAL_RECORD_KEY, Uint8Array.from([9]));
        return p;
      })));
    },
  },
];
