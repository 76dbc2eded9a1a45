/**
 * A console input workload for benchmarks, Node-free so that it also runs inside XS: hostile
 * bytes through the line editor, then typical lines through editor and parser.
 */
import { parseCommand } from "../../../modules/console/commands.js";
import { LineEditor } from "../../../modules/console/line-editor.js";

const TYPICAL = ["status", "serial rs485 baud 19200", "apn set iot.example.net", "at AT+CEREG?", "serial rs485 address 0x10", "trace on"];

/** Feeds `garbageBytes` pseudo-random bytes and `lines` typical lines; counts what came out. */
export function consoleInput(args: { garbageBytes: number; lines: number }): { lines: number; refused: number; parsed: number } {
  const counts = { lines: 0, refused: 0, parsed: 0 };
  const editor = new LineEditor({
    echo: () => {},
    line: (text) => {
      counts.lines++;
      if (parseCommand(text).ok) counts.parsed++;
    },
    refused: () => { counts.refused++; },
    interrupt: () => {},
  });
  // One 4 KiB block of pseudo-random bytes, fed over and over, so that making it costs little.
  const block = new Uint8Array(4096);
  let state = 1;
  for (let i = 0; i < block.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    block[i] = state >>> 24;
  }
  for (let fed = 0; fed < args.garbageBytes; fed += block.length) editor.feed(block.subarray(0, Math.min(block.length, args.garbageBytes - fed)));
  editor.feed(Uint8Array.of(0x0d));
  for (let i = 0; i < args.lines; i++) {
    const text = `${TYPICAL[i % TYPICAL.length]}\r`;
    editor.feed(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  }
  return counts;
}
