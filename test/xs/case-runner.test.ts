import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { findCaseFiles, runCaseFile } from "../../hosts/xs/case-runner.js";
import { cases as platformCases } from "./platform.cases.js";

const run = promisify(execFile);

describe("XS case runner", function () {
  this.timeout(30_000);

  it("discovers *.cases.ts files under test/, its own scenario among them", () => {
    const files = findCaseFiles();
    assert.ok(files.includes("test/xs/platform.cases.ts"));
    assert.ok(files.every((file) => file.startsWith("test/") && file.endsWith(".cases.ts")));
    assert.deepEqual(files, [...files].sort());
  });

  it("isolates each case: failures carry their message and log, a dead worker is replaced", async () => {
    const outcome = await runCaseFile("test/xs/fixtures/runner-sample.ts");
    assert.equal(outcome.error, undefined);
    const byName = Object.fromEntries(outcome.cases.map((c) => [c.name, c]));
    assert.equal(outcome.cases.length, 5);
    assert.equal(byName["passes"].passed, true);
    assert.ok(byName["passes"].compute > 0);
    assert.equal(byName["fails an assertion after logging"].passed, false);
    assert.equal(byName["fails an assertion after logging"].message, "AssertionError: the answer: expected 42, got 41");
    assert.deepEqual(byName["fails an assertion after logging"].log, ['log: about to compare {"answer":41}']);
    assert.equal(byName["throws a non-Error"].message, "threw just a string");
    assert.match(byName["overflows the stack"].message ?? "", /XS worker failed: .*stack overflow/);
    assert.equal(byName["passes after the worker was replaced"].passed, true);
  });

  it("reports a file without a cases array, and one that imports Node, without running anything", async () => {
    const noCases = await runCaseFile("test/xs/fixtures/runner-no-cases.ts");
    assert.match(noCases.error ?? "", /exports no `cases` array/);
    const nodeImport = await runCaseFile("test/xs/fixtures/runner-node-import.ts");
    assert.match(nodeImport.error ?? "", /Node built-in "node:fs" imported by test\/xs\/fixtures\/runner-node-import.ts cannot run in XS/);
  });

  it("npm run test:xs ends with the summary line and fails when nothing matches", async () => {
    const ok = await run(process.execPath, ["--import", "tsx", "hosts/xs/run-tests.ts", "test/xs/platform.cases.ts"]);
    assert.match(ok.stdout, new RegExp(`^xs: ${platformCases.length} passed, 0 failed$`, "m"));
    const none = await run(process.execPath, ["--import", "tsx", "hosts/xs/run-tests.ts", "no-such-file"]).then(
      () => assert.fail("expected exit code 1"),
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal(none.code, 1);
    assert.match(none.stdout, /^xs: 0 passed, 0 failed$/m);
  });
});
