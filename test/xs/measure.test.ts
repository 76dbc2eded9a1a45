import assert from "node:assert/strict";
import { measureInXs } from "../../hosts/xs/measure.js";
import { describeInput, sumOfSquares } from "./fixtures/measured-functions.js";

const FIXTURE = "test/xs/fixtures/measured-functions.ts";

describe("measureInXs", () => {
  it("returns the call's result and meters the call alone, growing with the work done", async () => {
    const small = await measureInXs(FIXTURE, "sumOfSquares", { n: 1000 });
    const large = await measureInXs(FIXTURE, "sumOfSquares", { n: 10_000 });
    assert.equal(small.result, sumOfSquares({ n: 1000 }));
    assert.equal(large.result, sumOfSquares({ n: 10_000 }));
    // Ten times the loop: close to ten times the compute, which a constant (bundle loading) would spoil.
    const ratio = large.compute / small.compute;
    assert.ok(ratio > 8 && ratio < 11, `compute ratio ${ratio} (${small.compute} -> ${large.compute})`);
    assert.ok(small.heapCount > 0 && small.allocate > 0);
    assert.ok(small.wallMs >= 0);
  });

  it("passes structured arguments and returns structured results", async () => {
    const input = { name: "xs", values: [1, 2, 3.5] };
    const measured = await measureInXs(FIXTURE, "describeInput", input);
    assert.deepEqual(measured.result, describeInput(input));
  });

  it("calls with no argument when none is given, and with null when null is given", async () => {
    assert.equal((await measureInXs(FIXTURE, "argumentKind")).result, "undefined");
    assert.equal((await measureInXs(FIXTURE, "argumentKind", null)).result, "null");
  });

  it("awaits a promise the function returns", async () => {
    const measured = await measureInXs(FIXTURE, "resolveLater", { value: 21 });
    assert.equal(measured.result, 42);
  });

  it("gives the bundle crypto.getRandomValues from the host", async () => {
    const measured = await measureInXs(FIXTURE, "randomByteCount", { length: 48 });
    assert.equal(measured.result, 48);
  });

  it("rejects with the XS exception when the function throws", async () => {
    await assert.rejects(measureInXs(FIXTURE, "failWithRangeError"), /RangeError: out of range on purpose/);
  });

  it("rejects clearly when the export is missing or not a function", async () => {
    await assert.rejects(measureInXs(FIXTURE, "noSuchExport"), /exports no function "noSuchExport"/);
    await assert.rejects(measureInXs(FIXTURE, "notAFunction"), /exports no function "notAFunction"/);
  });

  it("reports a runaway call as the worker hitting its metering limit", async () => {
    await assert.rejects(measureInXs(FIXTURE, "sumOfSquares", { n: 1e9 }, { meteringLimit: 1_000_000 }), /too much computation/);
  });
});
