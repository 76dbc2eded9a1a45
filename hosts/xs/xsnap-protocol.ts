/**
 * What the xsnap-worker binary (from @agoric/xsnap, XS 13) says on its command pipes, shared by
 * the asynchronous driver (worker.ts) and the synchronous one (sync-worker.ts).
 *
 * Parent to worker, one netstring each: `e<script>` evaluates a script, `?<bytes>` calls the
 * worker's global `handleCommand(ArrayBuffer)`, `/<bytes>` answers a query, `q` quits.
 * Worker to parent: `.<meter JSON>\x01<reply>` when a command is done, `!<message>` when it threw,
 * `?<bytes>` when the worker's code called the global `issueCommand(ArrayBuffer)` and waits,
 * blocked, for the parent's `/` answer.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** XS metering of one command: computation steps, and memory as the command left it. */
export interface XsMeter {
  /** Metering steps (roughly bytecodes executed) of this command only. */
  compute: number;
  /** Heap slots in use when the command ended (live objects plus garbage not yet collected). */
  heapCount: number;
  /** Bytes XS has allocated for chunks and slots in total. */
  allocate: number;
}

export interface XsResult {
  /** The bytes of the ArrayBuffer the command returned (or its `result` property); empty otherwise. */
  reply: Uint8Array;
  meter: XsMeter;
}

export type WorkerMessage =
  | { kind: "done"; result: XsResult }
  | { kind: "error"; message: string }
  | { kind: "query"; request: Uint8Array };

/** The default per-command computation limit: far above any test, low enough to stop a runaway loop. */
export const DEFAULT_METERING_LIMIT = 2_000_000_000;

/** An exception thrown by the script or handleCommand inside XS; the worker lives on. */
export class XsException extends Error {
  constructor(workerName: string, message: string) {
    super(`uncaught exception in XS worker "${workerName}": ${message}`);
    this.name = "XsException";
  }
}

/** The worker process is gone; no further command can run on it. */
export class XsWorkerGone extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XsWorkerGone";
  }
}

const OK = 0x2e; // "."
const ERROR = 0x21; // "!"
const QUERY = 0x3f; // "?"
const METER_SEPARATOR = 0x01;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export const commands = {
  evaluate: (code: string): Uint8Array => textEncoder.encode(`e${code}`),
  deliver: (message: Uint8Array): Uint8Array[] => [Uint8Array.of(QUERY), message],
  answer: (reply: Uint8Array): Uint8Array[] => [Uint8Array.of(0x2f), reply],
  quit: (): Uint8Array => Uint8Array.of(0x71),
};

export function decodeWorkerMessage(message: Uint8Array): WorkerMessage {
  switch (message[0]) {
    case OK: {
      const separator = message.indexOf(METER_SEPARATOR, 1);
      const meter = separator < 0 ? { compute: 0, heapCount: 0, allocate: 0 } : parseMeter(message.subarray(1, separator));
      return { kind: "done", result: { reply: message.slice(separator < 0 ? 1 : separator + 1), meter } };
    }
    case ERROR:
      return { kind: "error", message: textDecoder.decode(message.subarray(1)) };
    case QUERY:
      return { kind: "query", request: message.slice(1) };
    default:
      throw new XsWorkerGone(`xsnap protocol error: unexpected message ${JSON.stringify(textDecoder.decode(message.subarray(0, 40)))}`);
  }
}

function parseMeter(json: Uint8Array): XsMeter {
  const raw = JSON.parse(textDecoder.decode(json)) as { compute?: number; currentHeapCount?: number; allocate?: number };
  return { compute: raw.compute ?? 0, heapCount: raw.currentHeapCount ?? 0, allocate: raw.allocate ?? 0 };
}

/** xsnap-worker's exit codes (its api.js ExitCode), in words. */
const EXIT_REASONS: Record<number, string> = {
  1: "bad argument usage",
  2: "I/O error",
  11: "not enough memory",
  12: "stack overflow",
  15: "unhandled exception",
  16: "property key space exhausted",
  17: "too much computation (metering limit reached)",
};

export function describeExit(workerName: string, code: number | null, signal: string | null, output: readonly string[]): string {
  const how = signal ? `killed by ${signal}` : `exited with code ${code}: ${EXIT_REASONS[code ?? -1] ?? "unknown error"}`;
  const tail = output.length ? `; last output:\n  ${output.join("\n  ")}` : "";
  return `XS worker "${workerName}" ${how}${tail}`;
}

/** The xsnap-worker binary that @agoric/xsnap's postinstall built from source. */
export function xsnapWorkerPath(): string {
  const osDirectory = process.platform === "linux" ? "lin" : process.platform === "darwin" ? "mac" : undefined;
  if (!osDirectory) throw new Error(`xsnap-worker is not built for ${process.platform}`);
  const packageDirectory = dirname(createRequire(import.meta.url).resolve("@agoric/xsnap/package.json"));
  const path = join(packageDirectory, "xsnap-native", "xsnap", "build", "bin", osDirectory, "release", "xsnap-worker");
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: @agoric/xsnap's postinstall did not build XS (run "npm rebuild @agoric/xsnap")`);
  }
  return path;
}

export function workerArguments(name: string, meteringLimit: number): string[] {
  if (name.startsWith("-")) throw new Error(`XS worker name "${name}" must not start with "-"`);
  if (!Number.isInteger(meteringLimit) || meteringLimit < 1 || meteringLimit > 2 ** 31 - 1) {
    throw new RangeError(`metering limit ${meteringLimit} must be an integer in 1..2^31-1`);
  }
  return [name, "-l", String(meteringLimit)];
}

/** Keeps the last lines a worker printed, for error messages. */
export class OutputTail {
  readonly lines: string[] = [];
  #partial = "";

  constructor(readonly onLine: (line: string) => void, readonly keep = 20) {}

  push(text: string): void {
    const parts = (this.#partial + text).split("\n");
    this.#partial = parts.pop() ?? "";
    for (const line of parts) this.#line(line);
  }

  flush(): void {
    if (this.#partial) this.#line(this.#partial);
    this.#partial = "";
  }

  #line(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.shift();
    this.onLine(line);
  }
}

export function defaultOutput(workerName: string): (line: string) => void {
  return (line) => process.stderr.write(`[xs ${workerName}] ${line}\n`);
}
