/**
 * An XS engine in a child process (xsnap-worker), driven asynchronously over its netstring pipes.
 * Commands run one at a time in call order; each resolves with its reply bytes and the XS
 * metering of that command. Queries the worker makes through `issueCommand` while a command
 * runs are answered by `onQuery`, which may be synchronous or asynchronous.
 *
 * For a bridge that must call into XS from synchronous code (the simulated board's scheduler),
 * see sync-worker.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { encodeNetstring, NetstringReader } from "./netstring.js";
import {
  commands, decodeWorkerMessage, DEFAULT_METERING_LIMIT, defaultOutput, describeExit, OutputTail, workerArguments,
  XsException, XsWorkerGone, xsnapWorkerPath, type XsResult,
} from "./xsnap-protocol.js";

export type QueryHandler = (request: Uint8Array) => Uint8Array | Promise<Uint8Array>;

export interface XsWorkerOptions {
  /** Names the process in errors and output; must not start with "-". */
  name?: string;
  /** Computation limit of each command; the worker dies (code 17) beyond it. */
  meteringLimit?: number;
  /** Answers the worker's `issueCommand(ArrayBuffer)`; without it, a query is an error. */
  onQuery?: QueryHandler;
  /** Receives each line the worker prints (XS `print`, stderr); default: our stderr, prefixed. */
  onOutput?: (line: string) => void;
}

interface PendingCommand {
  resolve(result: XsResult): void;
  reject(error: Error): void;
}

export class XsWorker {
  readonly name: string;
  readonly #process: ChildProcess;
  readonly #toWorker: Writable;
  readonly #reader = new NetstringReader();
  readonly #output: OutputTail;
  readonly #onQuery: QueryHandler | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #pending: PendingCommand | undefined;
  #messages: Promise<void> = Promise.resolve();
  #gone: XsWorkerGone | undefined;
  #closing = false;
  readonly #exited: Promise<void>;

  constructor(options: XsWorkerOptions = {}) {
    this.name = options.name ?? "xs";
    this.#onQuery = options.onQuery;
    this.#output = new OutputTail(options.onOutput ?? defaultOutput(this.name));
    this.#process = spawn(xsnapWorkerPath(), workerArguments(this.name, options.meteringLimit ?? DEFAULT_METERING_LIMIT), {
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe", "ignore", "ignore", "ignore", "ignore"],
    });
    const stdio = this.#process.stdio;
    this.#toWorker = stdio[3] as Writable;
    // A write to a worker that just died fails with EPIPE; the exit handler reports why it died.
    this.#toWorker.on("error", () => {});
    for (const stream of [stdio[1], stdio[2]] as Readable[]) {
      stream.setEncoding("utf8");
      stream.on("data", (text: string) => this.#output.push(text));
    }
    (stdio[4] as Readable).on("data", (chunk: Buffer) => this.#received(chunk));
    this.#exited = new Promise((resolve) => {
      this.#process.on("close", (code, signal) => {
        this.#output.flush();
        this.#fail(new XsWorkerGone(this.#closing
          ? `XS worker "${this.name}" is closed`
          : describeExit(this.name, code, signal, this.#output.lines)));
        resolve();
      });
      this.#process.on("error", (error) => {
        this.#fail(new XsWorkerGone(`XS worker "${this.name}" could not run: ${error.message}`));
        resolve();
      });
    });
  }

  /** Evaluates a script in the worker's global scope (indirect eval). */
  evaluate(code: string): Promise<XsResult> {
    return this.#run([commands.evaluate(code)]);
  }

  /** Calls the worker's global `handleCommand(ArrayBuffer)` with `message`. */
  issueCommand(message: Uint8Array): Promise<XsResult> {
    return this.#run(commands.deliver(message));
  }

  /** Lets queued commands finish, then asks the worker to quit. */
  async close(): Promise<void> {
    await this.#queue.catch(() => {});
    this.#closing = true;
    if (!this.#gone) this.#toWorker.end(encodeNetstring(commands.quit()));
    await this.#exited;
  }

  /** Kills the worker now; pending commands fail. */
  async terminate(): Promise<void> {
    this.#closing = true;
    if (!this.#gone) this.#process.kill();
    await this.#exited;
  }

  #run(parts: Uint8Array[]): Promise<XsResult> {
    const run = this.#queue.catch(() => {}).then(() => new Promise<XsResult>((resolve, reject) => {
      if (this.#gone) return reject(this.#gone);
      this.#pending = { resolve, reject };
      this.#toWorker.write(encodeNetstring(...parts));
    }));
    this.#queue = run;
    return run;
  }

  #received(chunk: Buffer): void {
    let messages: Uint8Array[];
    try {
      messages = this.#reader.push(chunk);
    } catch (error) {
      this.#protocolError(error);
      return;
    }
    for (const message of messages) {
      this.#messages = this.#messages.then(() => this.#handle(message)).catch((error: unknown) => this.#protocolError(error));
    }
  }

  async #handle(bytes: Uint8Array): Promise<void> {
    const message = decodeWorkerMessage(bytes);
    const pending = this.#pending;
    if (!pending) throw new XsWorkerGone(`XS worker "${this.name}" sent a message while no command was running`);
    switch (message.kind) {
      case "done":
        this.#pending = undefined;
        pending.resolve(message.result);
        return;
      case "error":
        this.#pending = undefined;
        pending.reject(new XsException(this.name, message.message));
        return;
      case "query": {
        if (!this.#onQuery) throw new XsWorkerGone(`XS worker "${this.name}" called issueCommand but this driver has no query handler`);
        let answer: Uint8Array;
        try {
          answer = await this.#onQuery(message.request);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new XsWorkerGone(`XS worker "${this.name}": query handler failed: ${reason}`);
        }
        this.#toWorker.write(encodeNetstring(...commands.answer(answer)));
      }
    }
  }

  /** The worker cannot be trusted after a protocol error: kill it and fail what is pending. */
  #protocolError(error: unknown): void {
    const gone = error instanceof XsWorkerGone ? error : new XsWorkerGone(`XS worker "${this.name}": ${String(error)}`);
    this.#fail(gone);
    this.#process.kill();
  }

  #fail(error: XsWorkerGone): void {
    this.#gone ??= error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(this.#gone);
  }
}
