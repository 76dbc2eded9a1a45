/**
 * The simulated logger's USB console on a pseudo-terminal, so that a technician's own terminal
 * program (picocom, screen, minicom) attaches to it as to /dev/ttyACM0. Node has no pty API, so
 * socat (Debian package `socat`) makes the pty and relays it to this process over pipes. socat
 * keeps the pty's slave side open, so terminal programs can come and go without losing it.
 */
import { spawn } from "node:child_process";
import type { ConsolePort } from "../terminal/sim-terminal.js";
import { SimTerminal } from "../terminal/sim-terminal.js";

export interface ConsolePty {
  /** The device to open: the symlink when `link` was given, else /dev/pts/N. */
  readonly path: string;
  close(): Promise<void>;
}

export interface ConsolePtyOptions {
  /** Also make a stable symlink to the pty at this path (e.g. /tmp/logger-console). */
  link?: string;
  /** How long to wait for socat to report the pty. */
  startTimeoutMs?: number;
}

export function exposeConsolePty(board: ConsolePort, options: ConsolePtyOptions = {}): Promise<ConsolePty> {
  // rawer: no echo, no line editing, no CR/LF mapping, until the terminal program sets its own modes.
  const address = `pty,rawer${options.link ? `,link=${options.link}` : ""}`;
  const socat = spawn("socat", ["-d", "-d", address, "STDIO"], { stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => socat.once("close", () => resolve()));
  return new Promise<ConsolePty>((resolve, reject) => {
    let log = "";
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socat.kill();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`socat did not report a pty: ${log.trim()}`), options.startTimeoutMs ?? 5000);
    socat.once("error", (error: NodeJS.ErrnoException) => {
      fail(error.code === "ENOENT" ? "socat not found: install it (apt-get install socat)" : `socat: ${error.message}`);
    });
    socat.once("exit", (code) => fail(`socat exited (${code}): ${log.trim()}`));
    socat.stderr.setEncoding("utf8");
    socat.stderr.on("data", (text: string) => {
      log = (log + text).slice(-2000);
      const reported = /PTY is (\S+)/.exec(log);
      if (!reported || settled) return;
      settled = true;
      clearTimeout(timer);
      const terminal = new SimTerminal(board, { onOutput: (bytes) => socat.stdin.write(bytes) });
      socat.stdout.on("data", (chunk: Uint8Array) => terminal.send(new Uint8Array(chunk)));
      socat.stdin.on("error", () => { /* socat gone: close() or its exit reports it */ });
      resolve({
        path: options.link ?? reported[1],
        close() {
          terminal.tap.listener = undefined;
          socat.kill();
          return exited;
        },
      });
    });
  });
}
