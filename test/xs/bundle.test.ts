import assert from "node:assert/strict";
import { bundleSource } from "../../hosts/xs/bundle.js";
import { measureInXs } from "../../hosts/xs/measure.js";

describe("XS bundle", () => {
  it("keeps private class members native (lowered, they cost WeakMap lookups on XS)", async () => {
    const text = await bundleSource("class Counter { #n = 0; #bump() { return ++this.#n; } next() { return this.#bump(); } }\n" +
      "export const value = new Counter().next();", "private-members", { globalName: "probe" });
    assert.match(text, /#n/);
    assert.doesNotMatch(text, /WeakMap/);
  });

  it("lowers class static blocks, which XS 13 rejects", async () => {
    const text = await bundleSource("export class Table { static size = 1; static { Table.size = 2; } }", "static-block", { globalName: "probe" });
    assert.doesNotMatch(text, /static \{/);
  });

  it("runs code with private members inside XS", async () => {
    const { result } = await measureInXs("test/xs/fixtures/private-members.ts", "tally", [1, 2, 3]);
    assert.deepEqual(result, { total: 6, made: 1, branded: true });
  });
});
