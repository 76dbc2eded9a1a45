/**
 * The simulated logger's USB console on this process's own terminal: keystrokes go to the
 * console port, the console's output comes back. An interactive terminal is put in raw mode, as
 * a terminal program does with a serial port, so Ctrl-C reaches the console (it cancels a line);
 * Ctrl-] leaves, as in telnet.
 */
import type { ConsolePort } from "../terminal/sim-terminal.js";
import { SimTerminal } from "../terminal/sim-terminal.js";

/** Ctrl-]: the key that detaches from the console. */
export const QUIT_KEY = 0x1d;

export interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

export interface TerminalOptions {
  /** The technician pressed Ctrl-] (raw terminal) or the input ended (pipe). */
  onQuit?: (why: "quit-key" | "end") => void;
}

export interface AttachedTerminal {
  readonly raw: boolean;
  detach(): void;
}

export function attachTerminal(board: ConsolePort, input: TerminalInput, output: NodeJS.WritableStream, options: TerminalOptions = {}): AttachedTerminal {
  const terminal = new SimTerminal(board, { onOutput: (bytes) => output.write(bytes) });
  const raw = Boolean(input.isTTY && input.setRawMode);
  if (raw) input.setRawMode!(true);
  const onData = (chunk: Uint8Array | string) => {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk);
    const quitAt = raw ? bytes.indexOf(QUIT_KEY) : -1;
    terminal.send(quitAt >= 0 ? bytes.subarray(0, quitAt) : bytes);
    if (quitAt >= 0) options.onQuit?.("quit-key");
  };
  const onEnd = () => options.onQuit?.("end");
  input.on("data", onData);
  input.on("end", onEnd);
  input.resume();
  return {
    raw,
    detach() {
      input.off("data", onData);
      input.off("end", onEnd);
      input.pause();
      if (raw) input.setRawMode!(false);
      terminal.tap.listener = undefined;
    },
  };
}
