/**
 * The technician's USB console: a line editor on the console serial port, a small command
 * language, a live trace and a guarded AT passthrough. Every line costs a token from a budget,
 * at most one command runs at a time (with a deadline), and nothing a command or a subsystem
 * does can take the logger down: failures become error replies.
 */
import { readHealth } from "../health/health-report.js";
import type { Platform, SerialIO, SerialPortName, TimerHandle } from "../platform/platform.js";
import { FIRMWARE_VERSION, HARDWARE_MODEL } from "../version.js";
import { AT_ALLOWLIST } from "./at-allowlist.js";
import { helpText, parseCommand, type Command } from "./commands.js";
import { LineBudget } from "./line-budget.js";
import { LineEditor } from "./line-editor.js";
import { LiveTrace } from "./live-trace.js";
import { ModemSession } from "./modem-session.js";
import { OutputQueue, REPLY_GATE, terminalText, type OutputKind } from "./output-queue.js";
import { redact } from "./redact.js";
import { diagReport, modemIdentityReport, sdi12Report, sensorPortReport, statusReport, versionReport, type Identity } from "./reports.js";
import type { ConsoleServices } from "./services.js";
import { SENSOR_PORTS } from "./settings.js";
import type { TraceEvent, TraceSink } from "./trace-events.js";

export const CONSOLE_BAUD = 115200;
export const PROMPT = "dl> ";
/** Deadlines of the commands that wait for a subsystem. */
export const DEADLINES_MS = { modemInfo: 15_000, sdi12Scan: 90_000, at: 45_000, reboot: 5_000 };
/** Lets "rebooting" reach the terminal before the reset. */
const REBOOT_DELAY_MS = 200;

/** Lines typed ahead beyond this many are a flood and are discarded. */
export const LINE_QUEUE = 8;

export interface ConsoleOptions {
  port?: SerialPortName;
  baud?: number;
}

interface QueuedLine {
  text: string;
  /** Why the line must not run, when the line editor refused it. */
  refused?: string;
}

interface Pending {
  name: string;
  token: number;
  timer: TimerHandle;
}

export class Console implements TraceSink {
  readonly #platform: Platform;
  readonly #services: ConsoleServices;
  readonly #identity: Identity;
  readonly #output: OutputQueue;
  readonly #editor: LineEditor;
  readonly #budget: LineBudget;
  readonly #session: ModemSession;
  readonly #port: SerialIO;
  #pending: Pending | undefined;
  #nextToken = 1;
  #atPrompt = false;
  readonly #trace: LiveTrace;
  /** Completed lines waiting their turn (type-ahead). */
  #queue: QueuedLine[] = [];
  #pumpTimer: TimerHandle | undefined;
  /** Lines lost to the current flood. */
  #discarding = 0;
  #closed = false;
  readonly #stats = { lines: 0, refused: 0, discarded: 0, failed: 0 };

  constructor(platform: Platform, services: ConsoleServices, options: ConsoleOptions = {}) {
    this.#platform = platform;
    this.#services = services;
    this.#identity = { firmware: FIRMWARE_VERSION, hardware: HARDWARE_MODEL, resetReason: platform.resetReason };
    this.#output = new OutputQueue((bytes) => this.#port.write(bytes));
    this.#budget = new LineBudget(() => platform.clock.monotonic());
    this.#session = new ModemSession(services.modem, platform.timers, (text) => this.#announce("reply", text));
    this.#trace = new LiveTrace(platform, () => services.status().counters, (line) => this.#announce("trace", line));
    this.#editor = new LineEditor({
      echo: (text) => this.#output.push("echo", text),
      line: (text) => this.#lineEnded({ text }),
      refused: (reason) => this.#lineEnded({ text: "", refused: reason }),
      interrupt: () => this.#interrupted(),
    });
    const self = this;
    this.#port = new platform.io.Serial({
      port: options.port ?? "console",
      baud: options.baud ?? CONSOLE_BAUD,
      onReadable() {
        const bytes = this.read();
        if (bytes && !self.#closed) self.#editor.feed(bytes);
      },
      onWritable() {
        self.#output.writable();
        self.#pump();
      },
    });
    this.#reply([`datalogger console, firmware ${FIRMWARE_VERSION}; type help`]);
  }

  /** A subsystem's trace event; shown only while the technician has trace on. */
  emit(event: TraceEvent): void {
    this.#trace.emit(event);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#session.release();
    this.#trace.stop();
    if (this.#pending) this.#platform.timers.clear(this.#pending.timer);
    this.#pending = undefined;
    this.#platform.timers.clear(this.#pumpTimer);
    this.#queue = [];
    this.#output.clear();
    this.#port.close();
  }

  // --- input -------------------------------------------------------------------------------

  /** A completed line joins the type-ahead queue; a full queue means a flood, and the line is lost. */
  #lineEnded(line: QueuedLine): void {
    this.#output.push("echo", "\r\n");
    this.#atPrompt = false;
    if (this.#queue.length >= LINE_QUEUE) {
      this.#stats.discarded++;
      if (!this.#discarding++) this.#reply(["error: too many lines; discarding input until it slows down"], false);
      return;
    }
    // The flood is over once the console has caught up with what was kept.
    if (this.#discarding && !this.#queue.length && !this.#pending) {
      this.#reply([`(${this.#discarding} line${this.#discarding === 1 ? "" : "s"} discarded)`], false);
      this.#discarding = 0;
    }
    this.#queue.push(line);
    this.#pump();
  }

  /**
   * Runs queued lines while nothing else is running, the terminal keeps up with the output and
   * the line budget allows; otherwise comes back when one of those changes.
   */
  #pump(): void {
    while (this.#queue.length && !this.#pending && !this.#closed) {
      if (this.#output.backlog > REPLY_GATE) return;
      const waitMs = this.#budget.wait();
      if (waitMs > 0) {
        this.#pumpTimer ??= this.#platform.timers.set(() => {
          this.#pumpTimer = undefined;
          this.#pump();
        }, waitMs);
        return;
      }
      this.#budget.take();
      const line = this.#queue.shift()!;
      if (line.refused !== undefined) this.#fail(`line refused: ${line.refused}; nothing done`);
      else this.#run(line.text);
    }
  }

  /** Ctrl-C: abandons the running command and the type-ahead. */
  #interrupted(): void {
    const pending = this.#pending;
    this.#queue = [];
    if (pending) this.#platform.timers.clear(pending.timer);
    this.#pending = undefined;
    // A storm of Ctrl-C still costs line budget, so it cannot flood the output.
    if (!this.#budget.take()) return;
    this.#output.push("echo", "^C\r\n");
    this.#atPrompt = false;
    this.#reply(pending ? [`${pending.name} abandoned`] : []);
  }

  #run(text: string): void {
    this.#stats.lines++;
    const parsed = parseCommand(text);
    if (!parsed.ok) return this.#fail(parsed.error);
    try {
      this.#execute(parsed.value);
    } catch (error) {
      this.#stats.failed++;
      this.#reply([`error: command failed: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }

  #fail(message: string): void {
    this.#stats.refused++;
    this.#reply([`error: ${message}`]);
  }

  // --- commands ----------------------------------------------------------------------------

  #execute(command: Command): void {
    const services = this.#services;
    switch (command.name) {
      case "empty":
        return this.#reply([]);
      case "help": {
        const help = helpText(command.topic);
        return help.ok ? this.#reply(help.value) : this.#fail(help.error);
      }
      case "status":
        return this.#reply(statusReport(this.#identity, readHealth(this.#platform), this.#clockIso(), services.status()));
      case "diag":
        return this.#reply(diagReport(this.#identity, this.#ownDiag(), services.status(), services.diag()));
      case "version":
        return this.#reply(versionReport(this.#identity));
      case "modem-info":
        return this.#wait("modem info", DEADLINES_MS.modemInfo, (done) => services.modemInfo((answer) =>
          done(answer.ok ? modemIdentityReport(answer.value) : [`error: ${answer.error}`])));
      case "apn-show":
        return this.#reply([`apn: ${services.apn() || "(none)"}`]);
      case "apn-set": {
        const previous = services.apn();
        const result = services.setApn(command.apn);
        return result.ok
          ? this.#reply([`ok: apn ${services.apn()} saved (was ${previous || "(none)"})`])
          : this.#fail(`apn not changed: ${result.error}`);
      }
      case "serial-show":
        return this.#reply((command.port ? [command.port] : SENSOR_PORTS).map((port) => sensorPortReport(port, services.sensorPort(port))));
      case "serial-set": {
        const result = services.setSensorPort(command.port, command.change);
        return result.ok
          ? this.#reply([`ok: saved ${sensorPortReport(command.port, services.sensorPort(command.port))}`])
          : this.#fail(`${command.port} not changed: ${result.error}`);
      }
      case "sdi12-scan":
        return this.#wait("sdi12 scan", DEADLINES_MS.sdi12Scan, (done) => services.sdi12Scan((answer) =>
          done(answer.ok ? sdi12Report(answer.value) : [`error: ${answer.error}`])));
      case "reboot":
        this.#reply(["rebooting"], false);
        return this.#wait("reboot", DEADLINES_MS.reboot, () => {
          this.#platform.timers.set(() => services.reboot(), REBOOT_DELAY_MS);
        });
      case "trace":
        return this.#switchTrace(command.on);
      case "at":
        return this.#wait("at", DEADLINES_MS.at, (done) => this.#session.send(command.command, (answer) =>
          done(answer.ok ? [...answer.value.lines, answer.value.final] : [`error: ${answer.error}`])));
      case "at-list":
        return this.#reply(chunk(AT_ALLOWLIST, 6).map((row) => `  ${row.join("  ")}`));
      case "at-done":
        return this.#reply(this.#session.release() ? [] : ["modem session was not paused"]);
    }
  }

  /** Starts a command that completes later; its reply, timeout or abandonment ends it. */
  #wait(name: string, deadlineMs: number, start: (done: (lines: string[]) => void) => void): void {
    const token = this.#nextToken++;
    const timer = this.#platform.timers.set(() => {
      if (this.#pending?.token !== token) return;
      this.#pending = undefined;
      this.#fail(`${name} timed out after ${deadlineMs / 1000} s`);
      this.#pump();
    }, deadlineMs);
    this.#pending = { name, token, timer };
    start((lines) => {
      if (this.#pending?.token !== token || this.#closed) return;
      this.#platform.timers.clear(timer);
      this.#pending = undefined;
      this.#reply(lines);
      this.#pump();
    });
  }

  #switchTrace(on: boolean | undefined): void {
    if (on === undefined) return this.#reply([`trace: ${this.#trace.on ? "on" : "off"}`]);
    if (!on) {
      this.#trace.stop();
      return this.#reply(["trace: off"]);
    }
    this.#reply(["trace: on (operational status only; trace off stops it)"]);
    this.#trace.start();
  }

  #ownDiag(): Array<[string, string | number]> {
    const output = this.#output.stats;
    return [
      ["console lines", this.#stats.lines],
      ["console refused", this.#stats.refused],
      ["console discarded (flood)", this.#stats.discarded],
      ["console failed", this.#stats.failed],
      ["console trace lines dropped", output.droppedTraceLines],
      ["modem session", this.#session.state],
    ];
  }

  #clockIso(): string {
    return new Date(this.#platform.clock.now()).toISOString();
  }

  // --- output ------------------------------------------------------------------------------

  /** Prints reply lines, then (unless told not to) a fresh prompt. */
  #reply(lines: readonly string[], prompt = true): void {
    let text = "";
    for (const line of lines) text += `${safe(line)}\r\n`;
    if (prompt && !this.#pending) {
      text += PROMPT;
      this.#atPrompt = true;
    }
    this.#output.push("reply", text);
  }

  /** Prints an unsolicited line (trace, session notice) without losing the line being typed. */
  #announce(kind: OutputKind, line: string): void {
    if (this.#closed) return;
    const text = safe(line);
    if (!this.#atPrompt) {
      this.#output.push(kind, `${text}\r\n`);
      return;
    }
    const typed = this.#editor.pending;
    const lead = typed ? "\r\n" : `\r${" ".repeat(PROMPT.length)}\r`;
    this.#output.push(kind, `${lead}${text}\r\n${PROMPT}${typed}`);
  }
}

function safe(line: string): string {
  return terminalText(redact(line));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

/** Starts the console on the board's console port. */
export function startConsole(platform: Platform, services: ConsoleServices, options?: ConsoleOptions): Console {
  return new Console(platform, services, options);
}
