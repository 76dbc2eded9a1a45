import assert from "node:assert/strict";
import { fuzzModbus } from "./fuzz.js";

describe("Modbus RTU decoder fuzz", () => {
  it("10,000 random and 10,000 mutated frames: no exception, every corrupt frame refused", () => {
    const stats = fuzzModbus(10_000, 485);
    assert.ok(stats.frames >= 19_000, `${stats.frames} frames`);
  });
});
