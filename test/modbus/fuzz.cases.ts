/** A short Modbus fuzz run that also runs inside XS; fuzz.test.ts runs the long one. */
import { ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { fuzzModbus } from "./fuzz.js";

export const cases: TestCase[] = [
  {
    name: "300 random and 300 mutated frames: no exception, no value from a corrupt frame",
    run() {
      ok(fuzzModbus(300, 1).frames > 500);
    },
  },
];
