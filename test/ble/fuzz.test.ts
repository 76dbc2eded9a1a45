/**
 * 10,000 fuzzed frames against the device side in the suite; `BLE_FUZZ_FRAMES=100000 npx mocha
 * test/ble/fuzz.test.ts` runs the full sweep (about two minutes) and prints its report.
 */
import assert from "node:assert/strict";
import { runFuzz } from "./fuzz.js";

const frames = Number(process.env.BLE_FUZZ_FRAMES ?? 10_000);

describe("BLE installer session: fuzz", () => {
  it(`${frames} random and mutated frames each end in a dropped connection, the logger running`, function () {
    this.timeout(600_000);
    const report = runFuzz(frames, process.env.BLE_FUZZ_SEED ?? "1");
    if (process.env.BLE_FUZZ_FRAMES) console.log(JSON.stringify(report));
    assert.equal(report.frames, frames);
    const total = Object.values(report.reasons).reduce((a, b) => a + b, 0);
    assert.equal(total, frames, "one traced drop per frame");
    assert.ok(report.byState["before-finished"] > 0 && report.byState.established > 0);
  });
});
