/**
 * What the simulated module's command handlers see: a way to answer the command being
 * processed, and the module's state and services (URCs, radio, network, files, time).
 */
import type { Scheduler } from "../scheduler.js";
import type { SeededRandom } from "../seeded-random.js";
import type { AtLine } from "./at-line.js";
import type { Bg95Faults } from "./bg95-faults.js";
import type { ModemNetwork } from "./modem-network.js";
import type { RadioModel } from "./radio-model.js";

/** The answer to the command being processed; exactly one final answer per command. */
export interface Reply {
  /** Information lines, then OK. */
  ok(lines?: readonly string[], delayMs?: number): void;
  /** `+CME ERROR: <code>` (text or bare ERROR per AT+CMEE), or plain ERROR without a code. */
  error(cme?: number, delayMs?: number): void;
  /**
   * Prints the `>` prompt or CONNECT and collects `length` bytes (or up to Ctrl-Z); `got`
   * receives undefined when they do not arrive within `timeoutMs`. The handler answers after.
   */
  collect(prompt: "prompt" | "connect", length: number | "ctrl-z", timeoutMs: number, got: (data: Uint8Array | undefined) => void): void;
  /** CONNECT, the raw bytes, then OK. */
  sendData(data: Uint8Array, delayMs?: number): void;
}

export type CommandHandler = (line: AtLine, reply: Reply) => void;

export interface Bg95Context {
  readonly scheduler: Scheduler;
  readonly radio: RadioModel;
  readonly faults: Bg95Faults;
  readonly network: ModemNetwork;
  readonly random: SeededRandom;
  /** The module's file system (UFS); survives restarts. */
  readonly files: Map<string, Uint8Array>;
  /** Sends a URC after `delayMs`, unless a fault swallows it or the module restarted. */
  urc(line: string, delayMs?: number): void;
  /** Sends a URC with a raw payload inside it (`+QMTRECV` with a length). */
  urcWithPayload(head: string, payload: Uint8Array, tail: string): void;
  /** A check that stays true until the module restarts or loses power. */
  sameBoot(): () => boolean;
  /** UTC epoch ms of the simulated world (NITZ). */
  trueTime(): number;
  /** PDP context 1's address when active. */
  pdpAddress(context: number): string | undefined;
}

/** Reads an argument as an integer within bounds; undefined when it is not one. */
export function intArg(line: AtLine, index: number, min: number, max: number): number | undefined {
  const arg = line.args[index];
  if (!arg || arg.quoted || !/^-?\d+$/.test(arg.text)) return undefined;
  const value = Number(arg.text);
  return value >= min && value <= max ? value : undefined;
}

/** Reads a quoted string argument. */
export function stringArg(line: AtLine, index: number): string | undefined {
  const arg = line.args[index];
  return arg && arg.quoted ? arg.text : undefined;
}
