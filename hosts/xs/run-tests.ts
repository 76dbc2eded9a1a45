/**
 * `npm run test:xs [--verbose] [FILTER...]`: runs every exported case of every
 * `test/**\/*.cases.ts` inside XS (see case-runner.ts), two files at a time. Prints one line per
 * failing case, then `xs: N passed, N failed`; exits 1 on any failure or when no case ran.
 */
import { availableParallelism } from "node:os";
import { findCaseFiles, runCaseFile, type FileOutcome } from "./case-runner.js";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const filters = args.filter((arg) => !arg.startsWith("--"));
const files = findCaseFiles().filter((file) => !filters.length || filters.some((filter) => file.includes(filter)));

const outcomes: FileOutcome[] = new Array(files.length);
let next = 0;
const runNext = async (): Promise<void> => {
  while (next < files.length) {
    const index = next++;
    outcomes[index] = await runCaseFile(files[index]);
  }
};
await Promise.all(Array.from({ length: Math.min(2, availableParallelism(), files.length) }, runNext));

let passed = 0;
let failed = 0;
for (const outcome of outcomes) {
  if (outcome.error !== undefined) {
    failed++;
    console.log(`FAIL ${outcome.file}: ${outcome.error}`);
    continue;
  }
  for (const testCase of outcome.cases) {
    if (testCase.passed) {
      passed++;
      if (verbose) console.log(`ok   ${outcome.file} > ${testCase.name} (compute ${testCase.compute})`);
      continue;
    }
    failed++;
    console.log(`FAIL ${outcome.file} > ${testCase.name}: ${testCase.message}`);
    for (const line of testCase.log) console.log(`     | ${line}`);
  }
}
if (passed + failed === 0) console.log(`no XS test cases found${filters.length ? ` matching ${filters.join(", ")}` : ""}`);
console.log(`xs: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
