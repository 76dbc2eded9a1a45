/** The console's output queue and modem troubleshooting session on their own. Node-free (XS too). */
import { ModemSession } from "../../modules/console/modem-session.js";
import { ECHO_LIMIT, HARD_LIMIT, OutputQueue, terminalText, TRACE_LIMIT } from "../../modules/console/output-queue.js";
import type { Result } from "../../modules/console/services.js";
import type { Platform } from "../../modules/platform/platform.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

/** A port that takes `capacity` bytes, then throws "output full" until drained. */
class SlowPort {
  written = "";
  room: number;
  constructor(readonly capacity: number) {
    this.room = capacity;
  }
  write(bytes: Uint8Array): void {
    if (bytes.length > this.room) throw new Error("output full");
    this.room -= bytes.length;
    for (const b of bytes) this.written += String.fromCharCode(b);
  }
  drain(): void {
    this.room = this.capacity;
  }
}

function bootPlatform(): { board: SimBoard; platform: Platform } {
  const board = new SimBoard({ seed: 3 });
  let platform: Platform | undefined;
  board.start((p) => { platform = p; });
  return { board, platform: platform! };
}

/** A modem whose pause completes when the test says so. */
class ManualModem {
  readonly log: string[] = [];
  pauseDone: ((result: Result) => void) | undefined;
  pause(done: (result: Result) => void): void {
    this.log.push("pause");
    this.pauseDone = done;
  }
  resume(): void {
    this.log.push("resume");
  }
  sendAt(line: string, done: (lines: string[], final: string) => void): void {
    this.log.push(line);
    done([], "OK");
  }
}

/** A session on a manual modem whose answers (or errors) are collected as text. */
function quietSession() {
  const { platform } = bootPlatform();
  const modem = new ManualModem();
  const session = new ModemSession(modem, platform.timers, () => {});
  const answers: string[] = [];
  const send = (command: string) => session.send(command, (answer) => answers.push(answer.ok ? "sent" : answer.error));
  return { modem, session, answers, send };
}

export const cases: TestCase[] = [
  {
    name: "output waits when the port is full and resumes on writable, in order",
    run() {
      const port = new SlowPort(300);
      const queue = new OutputQueue((bytes) => port.write(bytes));
      const text = "0123456789".repeat(100);
      ok(queue.push("reply", text));
      equal(port.written, text.slice(0, 256), "one chunk fits, the next does not");
      equal(queue.backlog, text.length - 256);
      port.drain();
      queue.writable();
      port.drain();
      queue.writable();
      port.drain();
      queue.writable();
      port.drain();
      queue.writable();
      equal(port.written, text);
      equal(queue.backlog, 0);
    },
  },
  {
    name: "a slow terminal loses trace lines first, then echo; replies are kept up to the hard limit",
    run() {
      const port = new SlowPort(0);
      const queue = new OutputQueue((bytes) => port.write(bytes));
      const line = "health bat=3.650V rh=38.0%\r\n";
      let traceKept = 0;
      for (let i = 0; i < 100; i++) if (queue.push("trace", line)) traceKept++;
      ok(traceKept * line.length <= TRACE_LIMIT && (traceKept + 1) * line.length > TRACE_LIMIT, `${traceKept} trace lines kept`);
      equal(queue.stats.droppedTraceLines, 100 - traceKept);
      let echoKept = 0;
      for (let i = 0; i < 4000; i++) if (queue.push("echo", "x")) echoKept++;
      equal(queue.backlog, ECHO_LIMIT);
      equal(echoKept, ECHO_LIMIT - traceKept * line.length);
      ok(queue.push("reply", "r".repeat(HARD_LIMIT - ECHO_LIMIT)), "a reply fits up to the hard limit");
      ok(!queue.push("reply", "lost"), "beyond the hard limit even a reply is refused");
      equal(queue.stats.droppedReplyBytes, 4);
    },
  },
  {
    name: "terminalText passes printable ASCII and shows everything else as \\xNN",
    run() {
      equal(terminalText("ok: 9600 8N1"), "ok: 9600 8N1");
      equal(terminalText("\x1b[2J\x07\r\n\0"), "\\x1b[2J\\x07\\x0d\\x0a\\x00");
      equal(terminalText("caf\u00e9 \u2603"), "caf\\xe9 ?");
    },
  },
  {
    name: "modem session: pause before the first command, resume on release, idle release after the timeout",
    run() {
      const { board, platform } = bootPlatform();
      const modem = new ManualModem();
      const notices: string[] = [];
      const session = new ModemSession(modem, platform.timers, (text) => notices.push(text), 1000);
      const answers: string[] = [];
      session.send("AT+CSQ", (answer) => answers.push(answer.ok ? answer.value.final : answer.error));
      equal(session.state, "pausing");
      deepEqual(modem.log, ["pause"], "nothing is sent before the pause completes");
      modem.pauseDone!({ ok: true });
      deepEqual(modem.log, ["pause", "AT+CSQ"]);
      deepEqual(answers, ["OK"]);
      session.send("ATI", () => {});
      deepEqual(modem.log, ["pause", "AT+CSQ", "ATI"], "no second pause while paused");
      board.scheduler.runFor(999);
      equal(session.state, "paused");
      board.scheduler.runFor(2);
      equal(session.state, "released");
      deepEqual(modem.log, ["pause", "AT+CSQ", "ATI", "resume"]);
      equal(notices.length, 2);
      equal(session.release(), false, "releasing twice does nothing");
    },
  },
  {
    name: "modem session: a release while pausing resumes the modem as soon as the pause completes",
    run() {
      const { modem, session, answers, send } = quietSession();
      send("AT+CSQ");
      ok(session.release());
      modem.pauseDone!({ ok: true });
      deepEqual(modem.log, ["pause", "resume"], "the command is not sent");
      equal(session.state, "released");
      deepEqual(answers, ["troubleshooting ended before the modem was paused"]);
    },
  },
  {
    name: "modem session: a refused pause leaves the firmware's session in charge",
    run() {
      const { modem, session, answers, send } = quietSession();
      send("AT+CSQ");
      send("ATI");
      modem.pauseDone!({ ok: false, error: "uploading" });
      deepEqual(answers, ["modem is still being paused", "modem not available: uploading"]);
      deepEqual(modem.log, ["pause"]);
      equal(session.state, "released");
    },
  },
];
