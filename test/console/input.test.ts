/**
 * Hostile and clumsy terminals, through the simulated console port: line endings, editing,
 * overlong lines, NUL, control bytes, escape sequences, non-ASCII, packet splits and floods.
 */
import assert from "node:assert/strict";
import { LINE_QUEUE, PROMPT } from "../../modules/console/console.js";
import { LINE_BURST, LINES_PER_SECOND } from "../../modules/console/line-budget.js";
import { MAX_LINE } from "../../modules/console/line-editor.js";
import { SimTerminal } from "../../hosts/sim/terminal/sim-terminal.js";
import { ConsoleRig, replyLines, SAMPLING_MS } from "./rig/console-rig.js";

const VERSION_REPLY = `firmware: 0.1.0\r\nhardware: DL-1\r\n${PROMPT}`;

/** Everything printed until `count` prompts have appeared. */
function untilPrompts(rig: ConsoleRig, count: number, maxMs = 3000): string {
  return rig.until((text) => text.split(PROMPT).length > count, maxMs);
}

describe("console input handling", () => {
  for (const [name, ending] of [["CR", "\r"], ["LF", "\n"], ["CRLF", "\r\n"], ["LFCR", "\n\r"]]) {
    it(`${name} ends a line, once`, () => {
      const rig = new ConsoleRig();
      rig.terminal.type(`version${ending}version${ending}`);
      const output = untilPrompts(rig, 2);
      assert.equal(output, `version\r\n${VERSION_REPLY}version\r\n${VERSION_REPLY}`);
      rig.run(500);
      assert.equal(rig.terminal.take(), "", "no extra empty line from a two-byte ending");
    });
  }

  it("backspace and DEL edit the line, and the screen shows the erasure", () => {
    const rig = new ConsoleRig();
    const output = rig.command("verx\x7fsiom\x08n");
    assert.equal(output, `verx\b \bsiom\b \bn\r\n${VERSION_REPLY}`);
  });

  it("an overlong line is refused whole: the reboot at its start does not run", () => {
    const rig = new ConsoleRig();
    const output = rig.command(`reboot ${"x".repeat(MAX_LINE + 50)}`);
    assert.deepEqual(replyLines(output), [`error: line refused: line longer than ${MAX_LINE} characters; nothing done`]);
    assert.equal(output.split("\r\n")[0].length, MAX_LINE, "echo stops at the cap");
    assert.equal(rig.board.bootCount, 1);
    assert.equal(rig.command("version"), `version\r\n${VERSION_REPLY}`);
  });

  it("NUL refuses the line: reboot\\0xyz does not reboot", () => {
    const rig = new ConsoleRig();
    assert.deepEqual(replyLines(rig.command("reboot\0xyz")), ["error: line refused: NUL byte at column 7; nothing done"]);
    assert.deepEqual(replyLines(rig.command("reboot\0")), ["error: line refused: NUL byte at column 7; nothing done"]);
    rig.run(1000);
    assert.equal(rig.board.bootCount, 1);
  });

  it("control characters refuse the line and are never echoed raw", () => {
    const rig = new ConsoleRig();
    for (const code of [0x01, 0x04, 0x07, 0x1a, 0x1c, 0x7f + 1]) {
      const output = rig.command(`status${String.fromCharCode(code)}`);
      assert.match(output, /^status\r\nerror: line refused: (control character|non-ASCII byte) 0x[0-9A-F]{2} at column 7; nothing done\r\n/);
      assert.ok(!output.includes(String.fromCharCode(code)));
    }
  });

  it("escape sequences (arrow keys, a title-setting attack) refuse the line and are not echoed", () => {
    const rig = new ConsoleRig();
    const arrow = rig.command("\x1b[A");
    assert.equal(arrow, `\r\nerror: line refused: escape sequence (arrow or function key) at column 1; nothing done\r\n${PROMPT}`);
    const attack = rig.command("status\x1b]0;owned\x07");
    assert.ok(!attack.includes("\x1b") && !attack.includes("\x07"), JSON.stringify(attack));
    assert.match(attack, /error: line refused: escape sequence/);
  });

  it("non-ASCII is refused in commands: UTF-8, fullwidth AT, overlong encodings", () => {
    const rig = new ConsoleRig();
    for (const text of ["st\xc3\xa4tus", "at \xef\xbc\xa1\xef\xbc\xb4+CSQ", "\xc0\xafstatus", "status\xff"]) {
      const lines = replyLines(rig.command(text));
      assert.match(lines[0], /^error: line refused: non-ASCII byte 0x[C-F][0-9A-F] at column \d+; nothing done$/, text);
    }
    assert.ok(!rig.world.modemLog.some((entry) => entry.startsWith("console")));
  });

  it("a line arriving one byte per USB packet, or in 64-byte packets, works the same", () => {
    const rig = new ConsoleRig();
    const bytewise = new SimTerminal(rig.board, { packetBytes: 1, packetGapMs: 3 });
    bytewise.type("serial rs485 baud 19200\r");
    rig.run(500);
    assert.match(rig.terminal.take(), /ok: saved rs485: 19200 8N1/);
    const long = `apn set ${"a".repeat(60)}.${"b".repeat(30)}\r`;
    rig.terminal.type(long);
    const output = untilPrompts(rig, 1);
    assert.match(output, /ok: apn a{60}\.b{30} saved/);
    assert.ok(long.length > 64, "the line spans two packets");
  });

  it("tabs and runs of spaces separate words", () => {
    const rig = new ConsoleRig();
    assert.deepEqual(replyLines(rig.command("\tserial \t rs232\t\tbaud   4800  ")), ["ok: saved rs232: 4800 8N1 timeout 1000 ms"]);
  });

  it("Ctrl-C drops the partial line and prompts again", () => {
    const rig = new ConsoleRig();
    rig.terminal.type("reboo\x03");
    rig.run(100);
    assert.equal(rig.terminal.take(), `reboo^C\r\n${PROMPT}`);
    rig.run(500);
    assert.equal(rig.board.bootCount, 1);
  });

  it("a pasted block runs in order: a burst at once, the rest at the line rate, nothing lost", () => {
    const rig = new ConsoleRig();
    const count = LINE_BURST + LINE_QUEUE;
    rig.terminal.type("version\r".repeat(count));
    const output = untilPrompts(rig, count, 5000);
    assert.equal(output.split(VERSION_REPLY).length - 1, count);
    assert.ok(!output.includes("discard"));
  });

  it("a flood of lines is discarded beyond the type-ahead, says so once, and the logger keeps sampling", () => {
    const rig = new ConsoleRig();
    const ticksBefore = rig.world.ticks;
    const start = rig.board.scheduler.now;
    rig.terminal.type("status\r".repeat(20_000));
    rig.run(20_000);
    const output = rig.terminal.take();
    const executed = output.split("firmware: 0.1.0 (DL-1)").length - 1;
    const elapsedS = (rig.board.scheduler.now - start) / 1000;
    assert.ok(executed <= LINE_BURST + LINE_QUEUE + LINES_PER_SECOND * elapsedS, `${executed} status replies`);
    assert.ok(executed >= LINE_BURST, `${executed} status replies`);
    assert.equal(output.split("error: too many lines; discarding input until it slows down").length - 1, 1);
    assert.equal(rig.world.ticks - ticksBefore, Math.floor(20_000 / SAMPLING_MS), "not one sampling tick missed");
    assert.equal(rig.board.crashes.length, 0);
    rig.run(3000);
    rig.terminal.take();
    const after = rig.command("version");
    assert.match(after, /^version\r\n\(\d+ lines discarded\)\r\nfirmware: 0\.1\.0/);
  });

  it("a flood of empty lines and of Ctrl-C costs bounded output", () => {
    const rig = new ConsoleRig();
    rig.terminal.type("\r\n".repeat(5000));
    rig.terminal.type("\x03".repeat(5000));
    rig.run(5000);
    const printed = rig.terminal.take();
    assert.ok(printed.length < 10_000 + 1000, `${printed.length} bytes printed: no more than the echo of the line endings and a few prompts`);
    assert.match(rig.command("version"), /^version\r\n\(\d+ lines discarded\)\r\nfirmware: 0\.1\.0/);
  });

  it("a byte flood without line endings is discarded at the cap; the logger keeps sampling", () => {
    const rig = new ConsoleRig();
    const ticksBefore = rig.world.ticks;
    const garbage = new Uint8Array(100_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = 0x20 + ((i * 7919) % 95);
    rig.terminal.send(garbage);
    rig.run(10_000);
    assert.equal(rig.world.ticks - ticksBefore, 10);
    const echoed = rig.terminal.take();
    assert.equal(echoed.length, MAX_LINE, "only the first line's worth is echoed");
    const output = rig.command("");
    assert.match(output, /error: line refused: line longer than 128 characters/);
    assert.equal(rig.command("version"), `version\r\n${VERSION_REPLY}`);
  });

  it("a terminal that reads slowly loses trace lines, never a reply", () => {
    const rig = new ConsoleRig();
    rig.command("trace on");
    for (let i = 0; i < 200; i++) rig.console.emit({ kind: "modem", state: `state-${i}` });
    rig.terminal.type("help\rhelp\rdiag\r");
    const output = rig.until((text) => /console trace lines dropped: \d+\r\n(.*\r\n)*dl> $/.test(text), 5000);
    assert.equal(output.split("help <command> shows all forms of a command.").length - 1, 2, "both help replies whole");
    assert.match(output, /console trace lines dropped: [1-9]\d*/);
    assert.ok(output.split("modem state=").length - 1 < 200, "some trace lines were dropped");
  });
});
