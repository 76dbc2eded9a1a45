import type { TestCase } from "./cases.js";

/** Registers shared cases as mocha tests. */
export function registerCases(title: string, cases: readonly TestCase[]): void {
  describe(title, () => {
    for (const testCase of cases) it(testCase.name, () => testCase.run());
  });
}
