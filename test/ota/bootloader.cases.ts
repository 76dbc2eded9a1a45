/**
 * The simulated bootloader (hosts/sim/ota): which image each reset starts, test boots, confirm,
 * reject, the fallbacks, and what markBootable refuses.
 */
import type { Platform, ResetReason } from "../../modules/platform/platform.js";
import { FirmwareSlotError, type FirmwareSlots } from "../../modules/platform/update.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { MAX_TEST_BOOTS, SimBootloader } from "../../hosts/sim/ota/sim-bootloader.js";
import { encodeSimImage } from "../../hosts/sim/ota/sim-image.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

function image(version: string, securityCounter = 1, model = "DL-1"): Uint8Array {
  return encodeSimImage({ version, securityCounter, model, behaviour: 0, payload: new Uint8Array(5000).fill(7) });
}

/** Writes `bytes` into the inactive slot the way the updater does (erase, then program). */
function writeInactive(slots: FirmwareSlots, bytes: Uint8Array): void {
  const slot = slots.inactiveSlot();
  for (let block = 0; block < Math.ceil(bytes.length / slot.blockSize); block++) slot.erase(block);
  slot.write(0, bytes);
}

function stage(slots: FirmwareSlots, version: string, securityCounter = 2): void {
  const bytes = image(version, securityCounter);
  writeInactive(slots, bytes);
  slots.markBootable({ byteLength: bytes.length, version, securityCounter });
}

function bootAs(loader: SimBootloader, reason: ResetReason): FirmwareSlots {
  const slots = loader.boot(reason);
  ok(slots, "something booted");
  return slots;
}

export const cases: TestCase[] = [
  {
    name: "a blank firmware flash is factory-programmed and boots the factory image, confirmed",
    run() {
      const loader = new SimBootloader();
      const slots = bootAs(loader, "power-on");
      deepEqual(slots.running(), { version: "0.1.0", securityCounter: 1, model: "DL-1", testBoot: false });
      deepEqual(slots.lastTrial(), { mark: 0, outcome: { kind: "none" } });
      equal(slots.securityFloor(), 1);
      equal(loader.booted?.slot, 0);
    },
  },
  {
    name: "a marked slot is test-booted once; confirm keeps it, raises the floor and frees the other slot",
    run() {
      const loader = new SimBootloader();
      stage(bootAs(loader, "power-on"), "0.2.0", 5);
      const trial = bootAs(loader, "restart");
      deepEqual(trial.running(), { version: "0.2.0", securityCounter: 5, model: "DL-1", testBoot: true });
      deepEqual(trial.lastTrial(), { mark: 1, outcome: { kind: "pending" } });
      throws(() => trial.inactiveSlot(), FirmwareSlotError);
      throws(() => trial.markBootable({ byteLength: 1, version: "9.9.9", securityCounter: 9 }), FirmwareSlotError);
      trial.confirm();
      equal(trial.running().testBoot, false);
      equal(trial.securityFloor(), 5);
      const after = bootAs(loader, "restart");
      deepEqual(after.running(), { version: "0.2.0", securityCounter: 5, model: "DL-1", testBoot: false });
      deepEqual(after.lastTrial(), { mark: 1, outcome: { kind: "confirmed" } });
      equal(loader.booted?.slot, 1);
      throws(() => after.confirm(), /not on trial/);
      throws(() => after.reject(), /not on trial/);
    },
  },
  {
    name: "a test boot that ends in a crash, a watchdog reset or a restart goes back to the old image",
    run() {
      for (const reason of ["crash", "watchdog", "restart"] as const) {
        const loader = new SimBootloader();
        stage(bootAs(loader, "power-on"), "0.2.0");
        equal(bootAs(loader, "restart").running().testBoot, true);
        const back = bootAs(loader, reason);
        deepEqual(back.running(), { version: "0.1.0", securityCounter: 1, model: "DL-1", testBoot: false }, reason);
        deepEqual(back.lastTrial(), { mark: 1, outcome: { kind: "rolled-back", cause: reason } }, reason);
        equal(back.securityFloor(), 1, "the floor did not move");
      }
    },
  },
  {
    name: `power losses during test boots retry the trial, ${MAX_TEST_BOOTS} boots in all, then go back`,
    run() {
      const loader = new SimBootloader();
      stage(bootAs(loader, "power-on"), "0.2.0");
      for (let boot = 1; boot <= MAX_TEST_BOOTS; boot++) {
        equal(bootAs(loader, boot === 1 ? "restart" : "power-on").running().testBoot, true, `boot ${boot}`);
      }
      const back = bootAs(loader, "brownout");
      equal(back.running().version, "0.1.0");
      deepEqual(back.lastTrial().outcome, { kind: "rolled-back", cause: "boot-attempts" });
    },
  },
  {
    name: "reject sends the next boot back; a damaged pending image is never started",
    run() {
      const loader = new SimBootloader();
      stage(bootAs(loader, "power-on"), "0.2.0");
      bootAs(loader, "restart").reject();
      deepEqual(bootAs(loader, "restart").lastTrial().outcome, { kind: "rolled-back", cause: "rejected" });

      stage(bootAs(loader, "restart"), "0.3.0");
      const slot = loader.slot(1 - (loader.booted?.slot ?? 0));
      slot.write(100, new Uint8Array([0])); // a bit pattern the image did not have: its digest fails
      const back = bootAs(loader, "restart");
      equal(back.running().version, "0.1.0");
      deepEqual(back.lastTrial(), { mark: 2, outcome: { kind: "rolled-back", cause: "invalid-image" } });
    },
  },
  {
    name: "markBootable refuses an empty, damaged, foreign or different slot and a counter below the floor",
    run() {
      const loader = new SimBootloader();
      const slots = bootAs(loader, "power-on");
      throws(() => slots.markBootable({ byteLength: 10, version: "0.2.0", securityCounter: 2 }), /no bootable image/);
      const good = image("0.2.0", 2);
      writeInactive(slots, good);
      throws(() => slots.markBootable({ byteLength: good.length, version: "0.2.1", securityCounter: 2 }), /not 0\.2\.1/);
      throws(() => slots.markBootable({ byteLength: good.length, version: "0.2.0", securityCounter: 3 }), /counter 3/);
      throws(() => slots.markBootable({ byteLength: good.length + 1, version: "0.2.0", securityCounter: 2 }), /bytes/);
      writeInactive(slots, image("0.2.0", 2, "DL-2"));
      throws(() => slots.markBootable({ byteLength: good.length, version: "0.2.0", securityCounter: 2 }), /no bootable image/);
      writeInactive(slots, image("0.2.0", 0));
      throws(() => slots.markBootable({ byteLength: good.length, version: "0.2.0", securityCounter: 0 }), /no bootable image/);
      deepEqual(slots.lastTrial(), { mark: 0, outcome: { kind: "none" } }, "nothing was marked");
    },
  },
  {
    name: "a damaged confirmed image falls back to the other slot when that one is still valid",
    run() {
      const loader = new SimBootloader();
      stage(bootAs(loader, "power-on"), "0.2.0", 1);
      bootAs(loader, "restart").confirm();
      // Slot 0 still holds the factory image, and the floor is still 1: damage slot 1.
      loader.slot(1).write(50, new Uint8Array([0]));
      const slots = bootAs(loader, "power-on");
      equal(slots.running().version, "0.1.0");
      equal(loader.booted?.slot, 0);
      // Once the floor is above the factory image's counter, that image is no fallback any more.
      stage(slots, "0.3.0", 2);
      bootAs(loader, "restart").confirm();
      loader.slot(1).write(50, new Uint8Array([0]));
      equal(loader.boot("power-on"), undefined);
    },
  },
  {
    name: "the board runs the bootloader at every reset and stays dark when no slot can start",
    run() {
      const board = new SimBoard({ seed: "dark" });
      const versions: string[] = [];
      board.start((platform: Platform) => { versions.push(platform.update.running().version); });
      board.scheduler.runFor(10);
      deepEqual(versions, ["0.1.0"]);
      board.bootloader.slot(0).write(30, new Uint8Array([0])); // inside the factory image's payload
      board.cutPower();
      board.powerOn();
      equal(board.running, false);
      equal(board.bootloader.booted, undefined);
      equal(board.traceLog[board.traceLog.length - 1], "bootloader: no bootable image");
    },
  },
];
