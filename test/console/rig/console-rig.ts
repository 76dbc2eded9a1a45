/**
 * A simulated logger whose firmware runs the console with behaving fakes behind it and a
 * sampling timer that keeps ticking, plus a simulated terminal on the console port. Tests type
 * into the terminal and read what the logger printed, all in virtual time. No Node dependency.
 */
import { Console, PROMPT, startConsole } from "../../../modules/console/console.js";
import type { Platform } from "../../../modules/platform/platform.js";
import { SimBoard } from "../../../hosts/sim/board.js";
import { SimTerminal } from "../../../hosts/sim/terminal/sim-terminal.js";
import { FakeServices, FakeWorld } from "./fake-services.js";

export const SAMPLING_MS = 1000;
/** A technician's pause between commands. */
export const THINK_MS = 300;

export class ConsoleRig {
  readonly world = new FakeWorld();
  readonly board: SimBoard;
  readonly terminal: SimTerminal;
  /** What the console printed at boot. */
  readonly greeting: string;
  #console: Console | undefined;
  #services: FakeServices | undefined;

  constructor(seed: number | string = 1) {
    this.board = new SimBoard({ seed });
    this.terminal = new SimTerminal(this.board);
    this.board.start((platform) => this.#boot(platform));
    this.run(50);
    this.greeting = this.terminal.take();
  }

  get console(): Console {
    return this.#console!;
  }

  get services(): FakeServices {
    return this.#services!;
  }

  run(ms: number): void {
    this.board.scheduler.runFor(ms);
  }

  /**
   * Types `line` and a CR, then runs until the logger prints a prompt again (or `maxMs` passes);
   * returns what it printed, echo included. Then pauses as a person would before the next line,
   * so that a sequence of commands stays within the console's line budget.
   */
  command(line: string, maxMs = 5000): string {
    this.terminal.take();
    this.terminal.type(`${line}\r`);
    const output = this.until((text) => text.endsWith(PROMPT), maxMs);
    this.run(THINK_MS);
    return output + this.terminal.take();
  }

  /** Runs in 10 ms steps until `done` holds for the output so far; returns (and consumes) it. */
  until(done: (text: string) => boolean, maxMs: number): string {
    const end = this.board.scheduler.now + maxMs;
    while (this.board.scheduler.now < end) {
      this.run(10);
      if (done(this.terminal.peek())) break;
    }
    return this.terminal.take();
  }

  #boot(platform: Platform): void {
    const services = new FakeServices(platform, this.world);
    const console = startConsole(platform, services);
    this.#services = services;
    this.#console = console;
    let tick = 0;
    platform.timers.repeat(() => {
      this.world.ticks++;
      console.emit({ kind: "sampling", tick: ++tick, channels: 4, faults: 0 });
    }, SAMPLING_MS);
  }
}

/** The reply lines of a command's output: without the echoed line and the final prompt. */
export function replyLines(output: string): string[] {
  const lines = output.split("\r\n");
  lines.shift();
  if (lines.length && lines[lines.length - 1] === PROMPT) lines.pop();
  return lines;
}
