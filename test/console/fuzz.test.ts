/**
 * Fuzzing the console through its port: tens of thousands of seeded random lines (near misses of
 * real commands and noise), then raw random bytes. The logger must keep running and sampling,
 * the configuration must change exactly as an independent oracle says valid change commands
 * change it, and the modem must only ever see allowlisted commands while the console owns it.
 */
import assert from "node:assert/strict";
import { AT_ALLOWLIST } from "../../modules/console/at-allowlist.js";
import { PROMPT } from "../../modules/console/console.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { ConsoleRig, SAMPLING_MS, THINK_MS } from "./rig/console-rig.js";
import { CONFIG_KEY, readConfig } from "./rig/fake-services.js";
import { expectedChange, FuzzLines } from "./rig/fuzz-lines.js";

const LINES = 20_000;

/** Every console AT command went out while the console owned the modem, and was allowlisted. */
function assertModemDiscipline(log: readonly string[]): void {
  let paused = false;
  for (const entry of log) {
    if (entry === "boot" || entry === "resume") paused = false;
    else if (entry === "pause") paused = true;
    else if (entry.startsWith("console ")) {
      assert.ok(paused, `${entry} sent while the firmware owned the modem`);
      assert.ok(AT_ALLOWLIST.includes(entry.slice("console ".length)), `${entry} is not allowlisted`);
    } else assert.ok(!paused, `${entry} while paused`);
  }
}

describe("console fuzz", function () {
  this.timeout(120_000);

  it(`${LINES} random lines: the logger keeps sampling and only valid change commands change the configuration`, () => {
    const rig = new ConsoleRig("fuzz");
    rig.world.sdi12DelayMs = 100;
    const fuzz = new FuzzLines(new SeededRandom("console-fuzz"));
    let expected = readConfig(rig.board.storage.read(CONFIG_KEY));
    let changes = 0;
    const start = rig.board.scheduler.now;
    for (let i = 0; i < LINES; i++) {
      const line = fuzz.line();
      const next = expectedChange(line, expected);
      if (next) {
        expected = next;
        changes++;
      }
      rig.terminal.type(line + fuzz.ending());
      const output = rig.until((text) => text.endsWith(PROMPT), 5000);
      assert.ok(!output.includes("discarding input"), `line ${i} flooded the console: ${JSON.stringify(line)}`);
      rig.run(THINK_MS);
      rig.terminal.take();
      if (i % 1000 === 999) assert.deepEqual(readConfig(rig.board.storage.read(CONFIG_KEY)), expected, `after line ${i}`);
    }
    rig.run(5000);
    assert.deepEqual(readConfig(rig.board.storage.read(CONFIG_KEY)), expected);
    assert.ok(changes > 500, `the fuzz made ${changes} valid changes`);
    assert.deepEqual(rig.board.crashes, []);
    const elapsedTicks = Math.floor((rig.board.scheduler.now - start) / SAMPLING_MS);
    assert.ok(rig.world.ticks >= elapsedTicks - rig.world.reboots - 1, `${rig.world.ticks} ticks in ${elapsedTicks} s`);
    assert.ok(rig.world.reboots > 0 && rig.world.reboots < 100, `${rig.world.reboots} reboots`);
    assertModemDiscipline(rig.world.modemLog);
    assert.ok(rig.world.modemLog.some((entry) => entry.startsWith("console ")), "some AT commands were allowed");
  });

  it("raw random bytes (endings, Ctrl-C, escapes, NUL, non-ASCII) change nothing and stop nothing", () => {
    const rig = new ConsoleRig("chaos");
    const random = new SeededRandom("console-chaos");
    const before = rig.board.storage.read(CONFIG_KEY);
    const ticksBefore = rig.world.ticks;
    for (let burst = 0; burst < 100; burst++) {
      const bytes = new Uint8Array(2048);
      random.getRandomValues(bytes);
      rig.terminal.send(bytes);
      rig.run(1000);
      rig.terminal.take();
    }
    rig.run(5000);
    assert.deepEqual(rig.board.storage.read(CONFIG_KEY), before);
    assert.equal(rig.world.ticks - ticksBefore, 105);
    assert.deepEqual(rig.board.crashes, []);
    assert.equal(rig.board.bootCount, 1);
    assertModemDiscipline(rig.world.modemLog);
    rig.terminal.take();
    rig.terminal.type("\x03");
    rig.run(500);
    rig.terminal.take();
    assert.match(rig.command("version"), /firmware: 0\.1\.0\r\nhardware: DL-1\r\ndl> $/);
  });
});
