/**
 * An XS engine in a child process (xsnap-worker) that Node calls synchronously: each command
 * blocks until the worker answers, handling the worker's queries inline. The simulated board runs
 * its events synchronously inside `scheduler.runUntil`, so a firmware running in XS must be
 * callable from a timer callback like any local function, and its exceptions must reach the
 * board's crash and power-cut handling as they happen.
 *
 * Node has no synchronous API for child pipes, so the command channels are named FIFOs, opened
 * in blocking mode and read with readSync. A small shell wrapper opens the FIFOs as the worker's
 * fd 3 and 4 and reports the worker's exit status, which a blocked reader could not otherwise learn.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeNetstring, NetstringReader } from "./netstring.js";
import {
  commands, decodeWorkerMessage, DEFAULT_METERING_LIMIT, defaultOutput, describeExit, OutputTail, workerArguments,
  XsException, XsWorkerGone, xsnapWorkerPath, type XsResult,
} from "./xsnap-protocol.js";

export type SyncQueryHandler = (request: Uint8Array) => Uint8Array;

export interface XsSyncWorkerOptions {
  name?: string;
  meteringLimit?: number;
  onQuery?: SyncQueryHandler;
  onOutput?: (line: string) => void;
}

const EXIT_MARKER = "@@xsnap-worker-exit-status ";
const WRAPPER = `"$0" "$@" 3<"$XS_TO_WORKER" 4>"$XS_FROM_WORKER"; echo "${EXIT_MARKER}$?" >&2`;
/** How long a dead worker's exit status may take to reach the log after its pipe closed. */
const EXIT_STATUS_WAIT_MS = 2000;

export class XsSyncWorker {
  readonly name: string;
  readonly #process: ChildProcess;
  readonly #toWorker: number;
  readonly #fromWorker: number;
  readonly #log: number;
  readonly #output: OutputTail;
  readonly #onQuery: SyncQueryHandler | undefined;
  readonly #reader = new NetstringReader();
  readonly #inbox: Uint8Array[] = [];
  readonly #chunk = new Uint8Array(64 * 1024);
  readonly #logDecoder = new TextDecoder();
  #logPosition = 0;
  #exitStatus: number | undefined;
  #busy = false;
  #closed = false;
  #gone: XsWorkerGone | undefined;

  constructor(options: XsSyncWorkerOptions = {}) {
    this.name = options.name ?? "xs";
    this.#onQuery = options.onQuery;
    const forward = options.onOutput ?? defaultOutput(this.name);
    this.#output = new OutputTail((line) => {
      if (line.startsWith(EXIT_MARKER)) this.#exitStatus = Number(line.slice(EXIT_MARKER.length));
      else forward(line);
    });
    const args = workerArguments(this.name, options.meteringLimit ?? DEFAULT_METERING_LIMIT);
    const directory = mkdtempSync(join(tmpdir(), "xs-worker-"));
    try {
      const toWorkerPath = join(directory, "to-worker");
      const fromWorkerPath = join(directory, "from-worker");
      execFileSync("mkfifo", [toWorkerPath, fromWorkerPath]);
      this.#log = openSync(join(directory, "output.log"), "w+");
      this.#process = spawn("/bin/sh", ["-c", WRAPPER, xsnapWorkerPath(), ...args], {
        stdio: ["ignore", this.#log, this.#log],
        env: { ...process.env, XS_TO_WORKER: toWorkerPath, XS_FROM_WORKER: fromWorkerPath },
        detached: true,
      });
      // A worker left open must not keep Node alive; it exits when our end of its input closes.
      this.#process.unref();
      // Same order as the wrapper opens them, so that neither side waits for the other forever.
      this.#toWorker = openSync(toWorkerPath, "w");
      this.#fromWorker = openSync(fromWorkerPath, "r");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  evaluate(code: string): XsResult {
    return this.#run([commands.evaluate(code)]);
  }

  issueCommand(message: Uint8Array): XsResult {
    return this.#run(commands.deliver(message));
  }

  /** Asks the worker to quit and waits until it has. */
  close(): void {
    if (this.#busy) throw new Error(`XS worker "${this.name}" cannot close while a command runs`);
    if (!this.#gone) {
      this.#gone = new XsWorkerGone(`XS worker "${this.name}" is closed`);
      try {
        this.#write(encodeNetstring(commands.quit()));
        while (readSync(this.#fromWorker, this.#chunk) > 0) { /* drain until the worker closes its end */ }
      } catch {
        // Already dead: nothing left to wait for.
      }
      this.#drainLog();
    }
    this.#closeFiles();
  }

  /** Kills the worker (and its wrapper shell) now. */
  terminate(): void {
    if (!this.#gone) this.#gone = new XsWorkerGone(`XS worker "${this.name}" was terminated`);
    if (this.#process.pid !== undefined) {
      try {
        process.kill(-this.#process.pid, "SIGKILL");
      } catch {
        // The group has already exited.
      }
    }
    this.#closeFiles();
  }

  #closeFiles(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const fd of [this.#toWorker, this.#fromWorker, this.#log]) closeSync(fd);
  }

  #run(parts: Uint8Array[]): XsResult {
    if (this.#busy) throw new Error(`re-entrant call into XS worker "${this.name}" while it waits for a query answer`);
    if (this.#gone) throw this.#gone;
    this.#busy = true;
    try {
      this.#write(encodeNetstring(...parts));
      for (;;) {
        const message = decodeWorkerMessage(this.#receive());
        if (message.kind === "done") return message.result;
        if (message.kind === "error") throw new XsException(this.name, message.message);
        this.#write(encodeNetstring(...commands.answer(this.#answer(message.request))));
      }
    } finally {
      this.#busy = false;
      this.#drainLog();
    }
  }

  #answer(request: Uint8Array): Uint8Array {
    if (!this.#onQuery) throw this.#kill(`XS worker "${this.name}" called issueCommand but this driver has no query handler`);
    try {
      return this.#onQuery(request);
    } catch (error) {
      // The worker is blocked waiting for this answer: without one it can never continue.
      throw this.#kill(`XS worker "${this.name}": query handler failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  #kill(message: string): XsWorkerGone {
    this.terminate();
    this.#gone = new XsWorkerGone(message);
    return this.#gone;
  }

  #write(bytes: Uint8Array): void {
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(this.#toWorker, bytes, at);
    } catch {
      throw this.#died();
    }
  }

  #receive(): Uint8Array {
    for (;;) {
      const message = this.#inbox.shift();
      if (message) return message;
      const count = readSync(this.#fromWorker, this.#chunk);
      if (count === 0) throw this.#died();
      this.#inbox.push(...this.#reader.push(this.#chunk.subarray(0, count)));
    }
  }

  /** The worker closed its pipe: wait for the wrapper to log its exit status, then explain. */
  #died(): XsWorkerGone {
    const deadline = Date.now() + EXIT_STATUS_WAIT_MS;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
      this.#drainLog();
      if (this.#exitStatus !== undefined || Date.now() > deadline) break;
      Atomics.wait(nap, 0, 0, 2);
    }
    this.#output.flush();
    const status = this.#exitStatus;
    const signal = status !== undefined && status > 128 ? `signal ${status - 128}` : null;
    const output = this.#output.lines.filter((line) => !line.startsWith(EXIT_MARKER));
    const description = describeExit(this.name, signal ? null : status ?? null, signal, output);
    this.#gone ??= new XsWorkerGone(description);
    this.#closeFiles();
    return this.#gone;
  }

  #drainLog(): void {
    if (this.#closed) return;
    for (;;) {
      const count = readSync(this.#log, this.#chunk, 0, this.#chunk.length, this.#logPosition);
      if (count === 0) return;
      this.#logPosition += count;
      this.#output.push(this.#logDecoder.decode(this.#chunk.subarray(0, count), { stream: true }));
    }
  }
}
