/** Digital inputs with debounce against a bouncing door contact, and switched outputs. */
import { DebouncedInput } from "../../../drivers/digital/debounced-input.js";
import { SwitchedOutput } from "../../../drivers/digital/switched-output.js";
import type { Platform } from "../../../modules/platform/platform.js";
import { SimBoard } from "../../../hosts/sim/board.js";
import { SeededRandom } from "../../../hosts/sim/seeded-random.js";
import { DoorContact } from "../../../hosts/sim/sources/door-contact.js";
import { deepEqual, equal } from "../../support/assert.js";
import type { TestCase } from "../../support/cases.js";
import { bootPlatform } from "../../sampling/sampling-harness.js";

const DOOR_PIN = 15;
const EPOCH = Date.UTC(2026, 0, 1);

function boot(seed: string): { board: SimBoard; platform: Platform } {
  const board = new SimBoard({ seed, epochMs: EPOCH });
  return { board, platform: bootPlatform(board) };
}

export const cases: TestCase[] = [
  {
    name: "a bouncing door contact gives exactly one change per move, stamped at its first edge",
    run() {
      const { board, platform } = boot("door-1");
      const door = new DoorContact({ pins: board.pins, pin: DOOR_PIN, random: new SeededRandom("door") });
      const changes: Array<[number, number]> = [];
      let edges = 0;
      board.pins.watch(DOOR_PIN, () => edges++);
      const input = new DebouncedInput(platform, { pin: DOOR_PIN, activeLow: false, debounceMs: 20, onChange: (state, time) => changes.push([state, time]) });
      for (let i = 0; i < 20; i++) door.openFor(10_000 + i * 60_000, 5_000 + i * 1000);
      board.scheduler.runFor(30 * 60_000);
      deepEqual(changes, door.moves.map((move) => [move.open ? 1 : 0, EPOCH + move.atMs]));
      equal(input.state, 0);
      equal(edges > changes.length * 2, true, `the contact bounced (${edges} edges)`);
    },
  },
  {
    name: "a glitch shorter than the debounce time is not a change; one longer is",
    run() {
      const { board, platform } = boot("door-2");
      const changes: number[] = [];
      board.pins.drive(DOOR_PIN, 1);
      const input = new DebouncedInput(platform, { pin: DOOR_PIN, activeLow: true, debounceMs: 50, onChange: (state) => changes.push(state) });
      equal(input.state, 0, "the idle level (high, active low) is inactive");
      board.pins.drive(DOOR_PIN, 0);
      board.scheduler.runFor(30);
      board.pins.drive(DOOR_PIN, 1);
      board.scheduler.runFor(1000);
      deepEqual(changes, [], "30 ms low pulse");
      board.pins.drive(DOOR_PIN, 0);
      board.scheduler.runFor(80);
      deepEqual(changes, [1], "held low past the debounce time");
      equal(input.state, 1);
    },
  },
  {
    name: "a switched output drives its pin by polarity and switches off when closed",
    run() {
      const { board, platform } = boot("rail");
      const high = new SwitchedOutput(platform.io.Digital, 25, false);
      const low = new SwitchedOutput(platform.io.Digital, 26, true);
      deepEqual([board.pins.level(25), board.pins.level(26)], [0, 1], "both off");
      high.set(true);
      low.set(true);
      deepEqual([board.pins.level(25), board.pins.level(26), high.on, low.on], [1, 0, true, true], "both on");
      high.close();
      low.close();
      deepEqual([board.pins.level(25), board.pins.level(26)], [0, 1], "off after close");
    },
  },
];
