/**
 * The simulated board itself inside XS: SimBoard, Scheduler and NorFlash are Node-free, so a
 * whole deterministic scenario (firmware included) runs in the engine the firmware ships on.
 * The same cases run under mocha (platform.test.ts) and in XS (`npm run test:xs`).
 */
import { boot, HEALTH_TRACE_INTERVAL_MS } from "../../modules/main.js";
import { FlashError } from "../../modules/platform/flash.js";
import type { Platform, TimerHandle } from "../../modules/platform/platform.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { NorFlash, PowerCut } from "../../hosts/sim/nor-flash.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";

const DAY_MS = 86_400_000;

function uptimeOf(line: string): number {
  const match = /^health up=(\d+)s /.exec(line);
  ok(match, `not a health line: ${line}`);
  return Number(match[1]);
}

export const cases: TestCase[] = [
  {
    name: "the firmware runs a simulated day: one health line a minute, on virtual time, no crash",
    run() {
      const lines: string[] = [];
      const board = new SimBoard({ seed: "xs-day", trace: (line) => lines.push(line) });
      board.start(boot);
      board.scheduler.runFor(DAY_MS);
      equal(board.scheduler.now, DAY_MS);
      ok(/^boot sim:logger firmware \S+ reset=power-on/.test(lines[0]), lines[0]);
      const health = lines.filter((line) => line.startsWith("health "));
      equal(health.length, DAY_MS / HEALTH_TRACE_INTERVAL_MS);
      health.forEach((line, i) => equal(uptimeOf(line), ((i + 1) * HEALTH_TRACE_INTERVAL_MS) / 1000, "uptime of line " + i));
      equal(board.traceLog.length, 1000, "the board keeps the newest 1000 lines");
      equal(board.traceLog[999], lines[lines.length - 1]);
      deepEqual(board.crashes, []);
      equal(board.bootCount, 1);
    },
  },
  {
    name: "timers fire at their virtual times, repeat, clear, and keep order at equal times",
    run() {
      const fired: string[] = [];
      const board = new SimBoard({ seed: 1 });
      board.start((platform: Platform) => {
        const at = (label: string) => () => fired.push(`${label}@${platform.clock.monotonic()}`);
        platform.timers.set(at("a"), 100);
        platform.timers.set(at("b"), 100);
        let ticks = 0;
        const tick: TimerHandle = platform.timers.repeat(() => {
          fired.push(`tick@${platform.clock.monotonic()}`);
          if (++ticks === 3) platform.timers.clear(tick);
        }, 250);
        const never = platform.timers.set(at("never"), 50);
        platform.timers.clear(never);
        platform.timers.clear(undefined);
        platform.timers.set(at("zero"));
      });
      board.scheduler.runFor(2_000);
      deepEqual(fired, ["zero@0", "a@100", "b@100", "tick@250", "tick@500", "tick@750"]);
    },
  },
  {
    name: "a restart reboots with a new platform and cancels the old boot's timers",
    run() {
      const seen: string[] = [];
      const board = new SimBoard({ seed: 2 });
      board.start((platform) => {
        seen.push(`boot ${platform.resetReason}`);
        if (platform.resetReason === "power-on") {
          platform.timers.repeat(() => seen.push("old tick"), 1_000);
          platform.timers.set(() => platform.restart("test"), 2_500);
        }
      });
      board.scheduler.runFor(10_000);
      deepEqual(seen, ["boot power-on", "old tick", "old tick", "boot restart"]);
      ok(board.traceLog.indexOf("restart: test") >= 0);
    },
  },
  {
    name: "a firmware exception is a crash: recorded, traced, and the board reboots",
    run() {
      const board = new SimBoard({ seed: 3 });
      const reasons: string[] = [];
      board.start((platform) => {
        reasons.push(platform.resetReason);
        if (reasons.length === 1) platform.timers.set(() => { throw new RangeError("boom"); }, 10);
      });
      board.scheduler.runFor(100);
      deepEqual(board.crashes, ["RangeError: boom"]);
      deepEqual(reasons, ["power-on", "crash"]);
    },
  },
  {
    name: "NOR flash in XS refuses 0 -> 1 writes, misaligned writes and out-of-range access",
    run() {
      const flash = new NorFlash({ blocks: 2, writeGranularity: 4 });
      flash.write(0, Uint8Array.of(0x0f, 0xf0, 0x00, 0xff));
      throws(() => flash.write(0, Uint8Array.of(0x1f, 0xf0, 0x00, 0xff)), FlashError);
      deepEqual(flash.read(0, 4), Uint8Array.of(0x0f, 0xf0, 0x00, 0xff), "a refused write changes nothing");
      throws(() => flash.write(2, new Uint8Array(4)), /aligned/);
      throws(() => flash.read(8190, 4), FlashError);
      throws(() => flash.erase(2), FlashError);
      flash.erase(0);
      deepEqual(flash.read(0, 4), Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    },
  },
  {
    name: "a power cut inside XS halts the firmware mid-write, leaves a torn prefix, and power-on reboots",
    run() {
      const board = new SimBoard({ seed: "xs-cut", flash: { blocks: 4 } });
      let writes = 0;
      board.start((platform) => {
        platform.trace(`boot ${platform.resetReason}`);
        platform.timers.repeat(() => {
          platform.flash.write(64 * writes, new Uint8Array(64));
          writes++;
        }, 1_000);
      });
      board.scheduler.runFor(3_500);
      equal(writes, 3);
      board.flash.armPowerCut(1, "prefix");
      board.scheduler.runFor(1_000);
      equal(board.running, false, "the cut halted the board");
      equal(writes, 3, "the write that was cut never returned");
      throws(() => board.flash.read(0, 1), PowerCut);
      board.scheduler.runFor(5_000);
      equal(writes, 3, "a halted board runs no firmware");
      board.powerOn();
      const torn = board.flash.read(192, 64);
      const landed = torn.findIndex((b) => b === 0xff);
      ok(landed === -1 || torn.subarray(landed).every((b) => b === 0xff), "the prefix model lands a prefix");
      deepEqual(board.flash.read(0, 192), new Uint8Array(192), "earlier writes survive");
      deepEqual(board.traceLog, ["boot power-on", "boot power-on"]);
      equal(board.bootCount, 2);
    },
  },
  {
    name: "seeded scenarios are deterministic in XS: same seed, same trace and flash",
    run() {
      const scenario = () => {
        const board = new SimBoard({ seed: "xs-replay", flash: { blocks: 2 } });
        const random = new SeededRandom("xs-replay-writes");
        board.start((platform) => {
          platform.timers.repeat(() => {
            const bytes = platform.random.getRandomValues(new Uint8Array(4));
            platform.flash.write(random.below(2048) * 4, bytes);
          }, 500);
        });
        board.flash.armPowerCut(7, "bits");
        board.scheduler.runFor(10_000);
        board.powerOn();
        return { image: board.flash.image(), trace: [...board.traceLog], crashes: [...board.crashes] };
      };
      deepEqual(scenario(), scenario());
    },
  },
];
