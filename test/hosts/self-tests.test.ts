/**
 * The hardware self-tests (test/hw) run on the simulated board: on a bare board the tests that
 * need wiring skip or fail as they would on a bench, and on a board with a loopback jumper, an
 * SDI-12 sensor and a BG95 every test passes. The flash test leaves the log's block as it found it.
 */
import assert from "node:assert/strict";
import { SimBoard } from "../../hosts/sim/board.js";
import { SimulatedBg95 } from "../../hosts/sim/modem/bg95-simulator.js";
import { MemoryNetwork } from "../../hosts/sim/modem/memory-network.js";
import { soilProbe } from "../../hosts/sim/peers/sdi12-probes.js";
import type { Platform } from "../../modules/platform/platform.js";
import { runSelfTests, type SelfTest, type SelfTestSummary } from "../hw/self-test-runner.js";
import { SELF_TESTS } from "../hw/self-tests.js";

function run(board: SimBoard, tests: readonly SelfTest[] = SELF_TESTS): { lines: string[]; summary: SelfTestSummary | undefined } {
  let summary: SelfTestSummary | undefined;
  board.start((platform: Platform) => runSelfTests(platform, tests, (s) => { summary = s; }));
  board.scheduler.runFor(200_000);
  return { lines: board.traceLog.filter((line) => /^(PASS|FAIL|SKIP|SELFTEST)/.test(line)), summary };
}

const outcome = (lines: string[], name: string) => lines.find((line) => line.split(" ")[1] === name)?.split(" ")[0];

describe("hardware self-tests on the simulated board", () => {
  it("a bare board: platform tests pass, wiring-dependent ones skip, the absent modem fails", () => {
    const board = new SimBoard({ seed: "hw" });
    const lastBlock = board.flash.byteLength - board.flash.blockSize;
    board.flash.write(lastBlock, Uint8Array.of(1, 2, 3, 4));
    const { lines, summary } = run(board);
    for (const name of ["clock-timer", "timer-repeat-clear", "random", "key-value", "flash-scratch-block", "analog-inputs", "pulse-inputs", "health"]) {
      assert.equal(outcome(lines, name), "PASS", `${name}: ${lines.join("\n")}`);
    }
    assert.equal(outcome(lines, "serial-loopback-rs232"), "SKIP");
    assert.equal(outcome(lines, "sdi12-break-query"), "SKIP");
    assert.equal(outcome(lines, "modem-at"), "FAIL");
    assert.deepEqual(summary, { passed: 8, failed: 1, skipped: 2 });
    assert.equal(lines[lines.length - 1], "SELFTEST 8 passed, 1 failed, 2 skipped");
    assert.deepEqual(board.flash.read(lastBlock, 6), Uint8Array.of(1, 2, 3, 4, 0xff, 0xff));
  });

  it("with a loopback jumper, an SDI-12 sensor and a BG95 fitted, every test passes", () => {
    const board = new SimBoard({ seed: "hw" });
    const jumper = board.attach("rs232", "jumper");
    jumper.listener = { onBytes: (bytes) => { jumper.send(bytes); } };
    soilProbe(board.attach("sdi12", "probe"), { address: "3" });
    SimulatedBg95.attach(board, new MemoryNetwork(board.scheduler));
    const { lines, summary } = run(board);
    assert.deepEqual(summary, { passed: 11, failed: 0, skipped: 0 }, lines.join("\n"));
    assert.ok(lines.includes("PASS sdi12-break-query sensor at address 3"));
  });

  it("a test that never answers fails at its timeout, and one that throws fails with the error", () => {
    const board = new SimBoard({ seed: "hw" });
    const silent: SelfTest = { name: "silent", timeoutMs: 50, run: () => undefined };
    const throwing: SelfTest = { name: "throwing", timeoutMs: 50, run: () => { throw new RangeError("bad wiring"); } };
    const { lines } = run(board, [silent, throwing]);
    assert.deepEqual(lines, ["FAIL silent no result within 50 ms", "FAIL throwing RangeError: bad wiring", "SELFTEST 0 passed, 2 failed, 0 skipped"]);
  });
});
