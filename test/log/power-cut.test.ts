/**
 * The power-cut invariants (log-oracle.ts) under the simulator's torn models: a cut at every
 * program and erase of a scenario that wraps the ring at least twice, for each policy, torn model
 * and write unit; a sampled sweep on 4 KiB sectors; and a quick share of the random multi-cut
 * runs. `npm run torture -- --runs N` runs the full sweeps and N random runs.
 */
import assert from "node:assert/strict";
import { exhaustiveSweep, randomRun, sweepScenario, sweepSetups } from "./torture.js";

describe("ring log under power cuts", function () {
  this.timeout(120_000);

  for (const [sectors, sectorSize, stride] of [[3, 512, 1], [3, 4096, 97]] as const) {
    const ops = sweepScenario(sectors, sectorSize);
    const setups = sweepSetups(sectors, sectorSize).filter((_, i) => stride === 1 || i % 4 === 0);
    for (const setup of setups) {
      const what = stride === 1 ? "a cut at every program and erase" : `a cut at every ${stride}th program or erase`;
      it(`${sectors} x ${sectorSize} B, ${setup.policy}, ${setup.model} tears, unit ${setup.unit}: ${what}`, () => {
        const sweep = exhaustiveSweep(setup, ops, stride);
        assert.deepEqual(sweep.violations, []);
        assert.ok(sweep.wraps >= 2, `the scenario wraps the ring ${sweep.wraps} times`);
        assert.ok(sweep.runs >= (stride === 1 ? 100 : 5), `${sweep.runs} cuts`);
      });
    }
  }

  it("random multi-cut runs (a quick share; npm run torture runs 100,000)", () => {
    const failures: string[] = [];
    let cuts = 0;
    for (let seed = 0; seed < 150; seed++) {
      const result = randomRun(`mocha ${seed}`);
      cuts += result.cuts;
      if (result.violations.length) failures.push(`seed "mocha ${seed}" ${JSON.stringify(result.setup)}: ${result.violations[0]}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(cuts > 150, `${cuts} cuts`);
  });
});
