/**
 * The simulator's promise: the same configuration and seed give the same bytes. Two runs of a
 * simulated day of the example logger (sampling, logging, transmitting, acknowledging) must leave
 * byte-identical flash and storage, and the same data at the server; another seed must not.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { SimWorld, simDeviceDocument } from "../../hosts/sim/world/sim-world.js";
import type { SampleRecord } from "../../modules/uplink/records.js";

const DAY_MS = 86_400_000;
const sampling: unknown = JSON.parse(readFileSync(new URL("../../examples/config/example.json", import.meta.url), "utf8"));

function runDay(seed: string) {
  const landed: SampleRecord[] = [];
  const world = new SimWorld({
    seed, days: 1, document: simDeviceDocument(sampling, { intervalS: 900 }),
    landing: { onSample: (_device, record) => landed.push(record) },
  });
  world.start();
  world.board.scheduler.runFor(DAY_MS);
  const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  const storage = Object.entries(world.board.storage.entries()).map(([key, value]) => `${key}=${digest(value)}`);
  return { flash: digest(world.board.flash.image()), storage, landed, crashes: world.board.crashes };
}

describe("determinism of the simulator", function () {
  this.timeout(120_000);

  it("two runs of the same simulated day with the same seed leave byte-identical flash, storage and landed data", () => {
    const first = runDay("determinism-1");
    const second = runDay("determinism-1");
    assert.deepEqual(first.crashes, []);
    assert.ok(first.landed.length > 1000, `a day of the example lands its samples (${first.landed.length})`);
    assert.equal(second.flash, first.flash);
    assert.deepEqual(second.storage, first.storage);
    assert.deepEqual(second.landed, first.landed);
  });

  it("another seed gives another day", () => {
    assert.notEqual(runDay("determinism-2").flash, runDay("determinism-1").flash);
  });
});
