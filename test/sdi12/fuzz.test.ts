import assert from "node:assert/strict";
import { fuzzSdi12 } from "./fuzz.js";

describe("SDI-12 decoder fuzz", () => {
  it("10,000 random and 10,000 mutated frames: no exception, no value from a corrupt frame", () => {
    const stats = fuzzSdi12(10_000, 2026);
    assert.ok(stats.frames >= 19_000, `${stats.frames} frames`);
    assert.ok(stats.accepted > 100, "valid frames among the mutations are still read");
  });
});
