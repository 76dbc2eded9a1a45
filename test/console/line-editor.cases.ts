/** The console's line editor, byte by byte. Node-free: runs under mocha and inside XS. */
import { LineEditor, MAX_LINE, type LineEvents } from "../../modules/console/line-editor.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

/** Records what the editor reports: completed lines, refusals, interrupts, and all echo. */
class Recorder implements LineEvents {
  readonly events: string[] = [];
  echoed = "";
  echo(text: string): void {
    this.echoed += text;
  }
  line(text: string): void {
    this.events.push(`line:${text}`);
  }
  refused(reason: string): void {
    this.events.push(`refused:${reason}`);
  }
  interrupt(): void {
    this.events.push("interrupt");
  }
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Feeds `chunks` (Latin-1 strings, one feed() each) to a fresh editor. */
function edit(...chunks: string[]): Recorder {
  const recorder = new Recorder();
  const editor = new LineEditor(recorder);
  for (const chunk of chunks) editor.feed(bytesOf(chunk));
  return recorder;
}

function printableOnly(echo: string): boolean {
  return /^([\x20-\x7e]|\x08 \x08)*$/.test(echo);
}

export const cases: TestCase[] = [
  {
    name: "CR, LF and CRLF each end one line; LFCR is one terminator too",
    run() {
      deepEqual(edit("status\r").events, ["line:status"]);
      deepEqual(edit("status\n").events, ["line:status"]);
      deepEqual(edit("status\r\n").events, ["line:status"]);
      deepEqual(edit("status\n\r").events, ["line:status"]);
      deepEqual(edit("a\r\nb\rc\nd\r\n").events, ["line:a", "line:b", "line:c", "line:d"]);
    },
  },
  {
    name: "CR CR LF is a line and an empty line (pressing Enter twice), never a merged line",
    run() {
      deepEqual(edit("status\r\r\n").events, ["line:status", "line:"]);
      deepEqual(edit("\r\n\r\n\r\n").events, ["line:", "line:", "line:"]);
    },
  },
  {
    name: "a CRLF split across two USB packets is still one terminator",
    run() {
      deepEqual(edit("status\r", "\nversion\r", "\n").events, ["line:status", "line:version"]);
    },
  },
  {
    name: "a line split across packets at every byte assembles whole",
    run() {
      const recorder = new Recorder();
      const editor = new LineEditor(recorder);
      for (const c of "serial rs485 baud 9600\r") editor.feed(bytesOf(c));
      deepEqual(recorder.events, ["line:serial rs485 baud 9600"]);
      equal(recorder.echoed, "serial rs485 baud 9600");
    },
  },
  {
    name: "backspace and DEL erase the last character, with visible erasure; nothing to erase does nothing",
    run() {
      const recorder = edit("stax\x08tus\x7f\x7fus\r");
      deepEqual(recorder.events, ["line:status"]);
      equal(recorder.echoed, "stax\b \btus\b \b\b \bus");
      const empty = edit("\x08\x7f\x08ok\r");
      deepEqual(empty.events, ["line:ok"]);
      equal(empty.echoed, "ok");
    },
  },
  {
    name: `a line of exactly ${MAX_LINE} characters is accepted`,
    run() {
      const text = "x".repeat(MAX_LINE);
      deepEqual(edit(`${text}\r`).events, [`line:${text}`]);
    },
  },
  {
    name: "an overlong line is refused whole, never truncated and run; echo stops at the cap; the next line is clean",
    run() {
      const recorder = edit(`reboot${" ".repeat(MAX_LINE - 6)}garbage\r`, "version\r");
      deepEqual(recorder.events, [`refused:line longer than ${MAX_LINE} characters`, "line:version"]);
      equal(recorder.echoed.length, MAX_LINE + "version".length);
    },
  },
  {
    name: "backspace cannot rescue an overlong line (its tail is already gone)",
    run() {
      const recorder = edit(`${"y".repeat(MAX_LINE + 3)}\x08\x08\x08\x08\r`);
      deepEqual(recorder.events, [`refused:line longer than ${MAX_LINE} characters`]);
    },
  },
  {
    name: "a megabyte without a terminator costs no memory and is refused at the terminator",
    run() {
      const recorder = new Recorder();
      const editor = new LineEditor(recorder);
      const block = new Uint8Array(4096).fill(0x41);
      for (let i = 0; i < 256; i++) editor.feed(block);
      editor.feed(bytesOf("\rstatus\r"));
      deepEqual(recorder.events, [`refused:line longer than ${MAX_LINE} characters`, "line:status"]);
      equal(editor.pending, "");
    },
  },
  {
    name: "NUL anywhere refuses the line: reboot\\0xyz is not reboot",
    run() {
      deepEqual(edit("reboot\0xyz\r").events, ["refused:NUL byte at column 7"]);
      deepEqual(edit("reboot\0\r").events, ["refused:NUL byte at column 7"]);
      deepEqual(edit("\0reboot\r").events, ["refused:NUL byte at column 1"]);
    },
  },
  {
    name: "control characters refuse the line and are never echoed",
    run() {
      for (const code of [0x01, 0x02, 0x04, 0x07, 0x0b, 0x0c, 0x0e, 0x1a, 0x1c, 0x1f]) {
        const recorder = edit(`sta${String.fromCharCode(code)}tus\r`);
        deepEqual(recorder.events, [`refused:control character 0x${code.toString(16).toUpperCase().padStart(2, "0")} at column 4`]);
        equal(recorder.echoed, "status");
      }
    },
  },
  {
    name: "arrow keys and other escape sequences refuse the line; the sequence is swallowed, not echoed",
    run() {
      const csi = edit("stat\x1b[Dus\r");
      deepEqual(csi.events, ["refused:escape sequence (arrow or function key) at column 5"]);
      equal(csi.echoed, "status");
      const ss3 = edit("\x1bOPversion\r");
      deepEqual(ss3.events, ["refused:escape sequence (arrow or function key) at column 1"]);
      equal(ss3.echoed, "version");
      const title = edit("\x1b[2;31;1mx\r");
      equal(title.echoed, "x");
    },
  },
  {
    name: "an endless escape sequence is abandoned, and a terminator inside it still ends the line",
    run() {
      deepEqual(edit(`\x1b[${"1;".repeat(40)}\rversion\r`).events, [
        "refused:escape sequence (arrow or function key) at column 1",
        "line:version",
      ]);
      deepEqual(edit("\x1b[\rversion\r").events, ["refused:escape sequence (arrow or function key) at column 1", "line:version"]);
      deepEqual(edit("\x1b\rversion\r").events, ["refused:escape sequence (arrow or function key) at column 1", "line:version"]);
    },
  },
  {
    name: "non-ASCII refuses the line: UTF-8, overlong C0 AF, FF, fullwidth AT",
    run() {
      deepEqual(edit("st\xc3\xa4tus\r").events, ["refused:non-ASCII byte 0xC3 at column 3"]);
      deepEqual(edit("\xc0\xaf\r").events, ["refused:non-ASCII byte 0xC0 at column 1"]);
      deepEqual(edit("\xff\r").events, ["refused:non-ASCII byte 0xFF at column 1"]);
      // "ＡＴ" in UTF-8: EF BC A1 EF BC B4.
      const fullwidth = edit("at \xef\xbc\xa1\xef\xbc\xb4\r");
      deepEqual(fullwidth.events, ["refused:non-ASCII byte 0xEF at column 4"]);
      equal(fullwidth.echoed, "at ");
    },
  },
  {
    name: "tabs become spaces",
    run() {
      const recorder = edit("serial\trs485\t\tbaud 9600\r");
      deepEqual(recorder.events, ["line:serial rs485  baud 9600"]);
    },
  },
  {
    name: "Ctrl-C drops the partial line and reports an interrupt",
    run() {
      deepEqual(edit("reboo\x03version\r").events, ["interrupt", "line:version"]);
      deepEqual(edit("x\0\x03ok\r").events, ["interrupt", "line:ok"]);
    },
  },
  {
    name: "XON and XOFF from a terminal's flow control are ignored",
    run() {
      const recorder = edit("sta\x11tus\x13\r");
      deepEqual(recorder.events, ["line:status"]);
      equal(recorder.echoed, "status");
    },
  },
  {
    name: "pending shows the typed text (for redraw), and nothing when the line is already lost",
    run() {
      const recorder = new Recorder();
      const editor = new LineEditor(recorder);
      editor.feed(bytesOf("apn se"));
      equal(editor.pending, "apn se");
      editor.feed(bytesOf("\0"));
      equal(editor.pending, "");
      editor.reset();
      editor.feed(bytesOf("ok\r"));
      deepEqual(recorder.events, ["line:ok"]);
    },
  },
  {
    name: "echo is printable ASCII (or erasure) whatever bytes arrive",
    run() {
      const recorder = new Recorder();
      const editor = new LineEditor(recorder);
      const bytes = new Uint8Array(4096);
      let state = 12345;
      for (let i = 0; i < bytes.length; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        bytes[i] = state >>> 24;
      }
      editor.feed(bytes);
      ok(printableOnly(recorder.echoed), "echo has only printable ASCII and erasures");
      for (const event of recorder.events) {
        if (event.startsWith("line:")) ok(/^line:[\x20-\x7e]*$/.test(event) && event.length <= MAX_LINE + 5, event);
      }
    },
  },
];
