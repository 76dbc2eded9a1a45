/**
 * The board hosts import Moddable SDK modules that do not exist on Node, so they are outside the
 * project's tsconfig; tsconfig.hosts.json checks them against the SDK's module declarations
 * (@moddable/typings plus hosts/moddable/types). An mcconfig build would stop on the same errors.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

describe("board hosts type check (tsconfig.hosts.json)", () => {
  it("has no type errors", function () {
    this.timeout(120_000);
    const tsc = join("node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.hosts.json"], { encoding: "utf8" });
    assert.equal(result.status, 0, `tsc -p tsconfig.hosts.json failed:\n${result.stdout}${result.stderr}`);
  });
});
