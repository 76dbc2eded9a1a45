/**
 * Power cuts at every phase of an update: every program and erase of the firmware flash from the
 * notice to the confirmation (download, journal, mark, test-boot bookkeeping, confirm), under both
 * torn-write models, and cuts at moments without flash writes (verification, reboot, self-check).
 * After each cut the logger boots a valid image with its data log and configuration byte for byte
 * as before, and the update then completes exactly once.
 */
import assert from "node:assert/strict";
import type { UpdateNotice } from "../../modules/ota/notice.js";
import { TORN_MODELS, type TornModel } from "../../hosts/sim/nor-flash.js";
import { assertUntouched, fillData, snapshot, type DataSnapshot } from "./support/snapshots.js";
import { OtaWorld } from "./support/ota-world.js";

const NEW = "1.0.0";

interface Run {
  world: OtaWorld;
  cut: boolean;
}

function newWorld(seed: string): OtaWorld {
  const world = new OtaWorld({ seed });
  fillData(world.board);
  world.runFor(1000);
  return world;
}

/** Drives the update (notices, sessions, time) until the new image is confirmed or the board loses power. */
function drive(world: OtaWorld): void {
  const update = world.publish({ version: NEW, securityCounter: 2, payloadBytes: 40_000 });
  for (let step = 0; step < 30 && world.board.running; step++) {
    const status = world.ota.status();
    if (status.running.version === NEW && !status.running.testBoot && !status.update) return;
    if (!status.update && status.running.version !== NEW) notifyUnlessCut(world, update.notice);
    if (world.board.running && world.ota.status().update?.phase === "downloading") world.sessionUnlessCut();
    if (world.board.running) world.runFor(20_000);
  }
}

function notifyUnlessCut(world: OtaWorld, notice: UpdateNotice): void {
  world.inFirmware((agent) => { agent.onNotice(notice); });
}

function runWithCut(seed: string, arm: (world: OtaWorld) => void): Run {
  const world = newWorld(seed);
  const before = snapshot(world.board);
  arm(world);
  drive(world);
  const cut = !world.board.running;
  if (cut) finishAfterCut(world, before, seed);
  else assertCompleted(world, before, seed);
  return { world, cut };
}

/** Power returns: the logger boots a valid image with its data intact, and the update completes. */
function finishAfterCut(world: OtaWorld, before: DataSnapshot, seed: string): void {
  world.board.bootloader.flash.disarmPowerCut();
  world.runFor(5_000);
  world.board.powerOn();
  assert.ok(world.board.running && world.board.bootloader.booted, `${seed}: boots after the cut`);
  assert.ok([NEW, "0.1.0"].includes(world.running()), `${seed}: runs a valid image`);
  assertUntouched(world.board, before, `${seed}: right after the cut`);
  drive(world);
  assertCompleted(world, before, seed);
}

function assertCompleted(world: OtaWorld, before: DataSnapshot, seed: string): void {
  const status = world.ota.status();
  assert.deepEqual(status.running, { version: NEW, securityCounter: 2, testBoot: false }, `${seed}: the update completed`);
  assert.equal(status.securityFloor, 2, seed);
  assert.deepEqual(world.ota.history().map((e) => e.outcome), ["installed"], `${seed}: recorded once`);
  assertUntouched(world.board, before, `${seed}: at the end`);
}

describe("ota: power cuts at every phase of an update", function () {
  this.timeout(120_000);

  let finishedAt = 0;
  let opsBefore = 0;
  const reference = runWithCut("reference", (world) => {
    opsBefore = world.board.bootloader.flash.stats.operations;
    const start = world.scheduler.now;
    const watch = () => {
      const status = world.ota.status();
      if (status.running.version === NEW && !status.running.testBoot) finishedAt = world.scheduler.now - start;
      else world.scheduler.after(500, watch);
    };
    world.scheduler.after(500, watch);
  });
  const operations = reference.world.board.bootloader.flash.stats.operations - opsBefore;

  it(`the update itself takes ${operations} firmware-flash operations and no cut`, () => {
    assert.equal(reference.cut, false);
    assert.ok(operations > 20, `${operations} operations`);
  });

  for (const model of TORN_MODELS) {
    it(`a cut at each of those operations (${model} tearing) leaves a bootable logger that completes the update`, () => {
      let cuts = 0;
      for (let op = 1; op <= operations; op++) {
        const run = runWithCut(`${model}-${op}`, (world) => world.board.bootloader.flash.armPowerCut(op, model as TornModel));
        if (run.cut) cuts++;
      }
      assert.equal(cuts, operations, "every armed cut happened");
    });
  }

  it("a cut while the slot's bytes are being hashed: the check starts over after the restart", () => {
    const world = newWorld("verify");
    const before = snapshot(world.board);
    world.notify(world.publish({ version: NEW, securityCounter: 2, payloadBytes: 40_000 }).notice);
    let slicesSeen = 0;
    world.inFirmware((agent) => agent.runSession(120_000, (report) => {
      assert.equal(report.outcome, "downloaded");
      // The hash runs a slice per zero-delay timer: look between slices and cut in the middle.
      const look = () => {
        if (agent.status().activity !== "verifying") return;
        if (++slicesSeen === 4) return world.board.cutPower();
        world.scheduler.after(0, look);
      };
      world.scheduler.after(0, look);
    }));
    world.runFor(60_000);
    assert.equal(slicesSeen, 4, "the cut fell in the verification");
    assert.equal(world.board.running, false);
    finishAfterCut(world, before, "verify");
  });

  it("a cut every 1.5 s of the update's timeline (download, verify, reboot, self-check, confirm) also does", () => {
    const phases = new Set<string>();
    assert.ok(finishedAt > 10_000, `the reference update took ${finishedAt} ms`);
    for (let atMs = 500; atMs < finishedAt; atMs += 1500) {
      const run = runWithCut(`time-${atMs}`, (world) => {
        world.scheduler.after(atMs, () => {
          if (!world.board.running) return;
          const status = world.ota.status();
          phases.add(status.running.testBoot ? "self-check" : status.update?.phase ?? "idle");
          world.board.cutPower();
        });
      });
      assert.ok(run.cut, `cut at ${atMs} ms`);
    }
    for (const phase of ["downloading", "self-check"]) assert.ok(phases.has(phase), `a cut fell in ${phase}: ${[...phases].join(", ")}`);
  });
});
