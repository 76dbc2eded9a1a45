/** A short SDI-12 fuzz run that also runs inside XS; fuzz.test.ts runs the long one. */
import { ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { fuzzSdi12 } from "./fuzz.js";

export const cases: TestCase[] = [
  {
    name: "300 random and 300 mutated frames: no exception, no value from a corrupt frame",
    run() {
      const stats = fuzzSdi12(300, 1);
      ok(stats.frames > 500);
    },
  },
];
