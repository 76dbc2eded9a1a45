/**
 * Images that must not stay: one whose self-check fails, one that crashes at boot, one that hangs
 * until the watchdog, one whose self-check never finishes. Each is rolled back to the previous
 * image, recorded with its cause, and its manifest is not taken again; a fixed release installs.
 */
import type { RollbackCause } from "../../modules/platform/update.js";
import { ImageBehaviour } from "../../hosts/sim/ota/sim-image.js";
import { SIM_WATCHDOG_MS } from "../../hosts/sim/ota/image-firmware.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { OtaWorld } from "./support/ota-world.js";

function badRelease(seed: string, behaviour: number, cause: RollbackCause, settleMs: number, selfCheckMs?: number): OtaWorld {
  const world = new OtaWorld({ seed, limits: { selfCheckTimeoutMs: 120_000 } });
  if (selfCheckMs !== undefined) world.selfCheckMs = selfCheckMs;
  world.runFor(1000);
  const bad = world.publish({ version: "1.0.0", securityCounter: 2, behaviour });
  world.notify(bad.notice);
  equal(world.session().outcome, "downloaded", cause);
  world.runFor(settleMs);
  equal(world.running(), "0.1.0", `${cause}: back on the old image`);
  const status = world.ota.status();
  deepEqual(status.lastTrial, { mark: 1, outcome: { kind: "rolled-back", cause } }, cause);
  equal(status.securityFloor, 1, `${cause}: the floor stays`);
  equal(status.update, undefined, cause);
  const history = world.ota.history();
  deepEqual(history.map((e) => (e.outcome === "rolled-back" ? `${e.outcome} ${e.cause}` : e.outcome)), [`rolled-back ${cause}`], cause);
  const again = world.notify(bad.notice);
  deepEqual(again.accepted ? undefined : again.reason, "failed-before", `${cause}: the same release again`);
  return world;
}

export const cases: TestCase[] = [
  {
    name: "an image that fails its self-check rejects itself and the logger goes back; a fixed release installs",
    run() {
      const world = badRelease("self-check", ImageBehaviour.FailSelfCheck, "rejected", 60_000);
      deepEqual(world.boots, ["0.1.0", "1.0.0", "0.1.0"]);
      equal(world.counters.get("ota.rolledBack"), 1);
      world.notify(world.publish({ version: "1.0.1", securityCounter: 2 }).notice);
      equal(world.session().outcome, "downloaded");
      world.runFor(60_000);
      equal(world.running(), "1.0.1");
      equal(world.ota.status().securityFloor, 2);
    },
  },
  {
    name: "an image that crashes at boot is rolled back by the bootloader (cause crash)",
    run() {
      const world = badRelease("crash", ImageBehaviour.CrashAtBoot, "crash", 60_000);
      equal(world.board.crashes.length, 1);
      ok(/crashes at boot/.test(world.board.crashes[0]));
    },
  },
  {
    name: "an image that hangs is reset by the watchdog and rolled back",
    run() {
      badRelease("hang", ImageBehaviour.Hang, "restart", SIM_WATCHDOG_MS + 60_000);
    },
  },
  {
    name: "a self-check that never finishes is given up after its time limit and the image rejected",
    run() {
      const world = badRelease("slow", 0, "rejected", 200_000, 10 * 60_000);
      ok(world.board.traceLog.some((line) => /self-check did not finish in time/.test(line)));
    },
  },
];
