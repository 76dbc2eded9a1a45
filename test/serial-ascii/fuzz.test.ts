import assert from "node:assert/strict";
import { fuzzExtraction } from "./fuzz.js";

describe("RS232 line extraction fuzz", () => {
  it("10,000 random and 10,000 mutated lines: no exception, values only from decimal fields", () => {
    assert.equal(fuzzExtraction(10_000, 232), 20_000);
  });
});
