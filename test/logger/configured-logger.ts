/**
 * A simulated logger booted through the real `boot` of modules/main.ts with a configuration in
 * storage (as a provisioned device has it), a terminal on its USB console, and a way to read back
 * what it logged. Node-free, so the cases that use it also run inside XS.
 */
import { ConfigStore } from "../../modules/config/config-store.js";
import { boot, type Logger } from "../../modules/main.js";
import type { Sample } from "../../modules/records/sample.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { SimTerminal } from "../../hosts/sim/terminal/sim-terminal.js";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY_MS = 86_400_000;

/** A device configuration around `sampling`; `sensorPorts` as the document takes them. */
export function deviceDocument(sampling: unknown, sensorPorts: Record<string, unknown> = {}, version = 1): Record<string, unknown> {
  return { version, uplink: { host: "ingest.example.net" }, apn: "iot.example", sensorPorts, sampling };
}

export interface ConfiguredLogger {
  board: SimBoard;
  terminal: SimTerminal;
  /** The firmware of the current boot. */
  logger(): Logger;
  /** Everything logged so far under `channel` (the log is flushed first), with times from virtual 0. */
  logged(channel: number): Array<{ t: number; value: number; flags: number }>;
  /** Types a console line and runs time until the logger has answered it; returns the answer's lines. */
  command(line: string, waitMs?: number): string[];
}

/** A board whose virtual time 0 is midnight UTC. */
export function newBoard(seed: string): SimBoard {
  return new SimBoard({ seed, epochMs: Date.UTC(2026, 2, 2) });
}

/** Stores `document` as the board's configuration and powers the board on with the real firmware. */
export function bootConfigured(board: SimBoard, document: unknown): ConfiguredLogger {
  const applied = new ConfigStore(board.storage, board.pinMap).apply(document);
  if (!applied.ok) throw new Error(`configuration refused: ${applied.problems.join("; ")}`);
  const terminal = new SimTerminal(board);
  let current: Logger | undefined;
  board.start((platform) => { current = boot(platform); });
  const logger = () => {
    if (!current) throw new Error(`the logger did not boot: ${board.crashes.join("; ")}`);
    return current;
  };
  const epoch = board.trueTime() - board.scheduler.now;
  return {
    board, terminal, logger,
    logged(channel) {
      const log = logger().log;
      log.flush();
      const samples: Sample[] = [];
      for (let seq = 1; seq <= log.lastSeq;) {
        const records = log.read(seq, 256);
        if (!records.length) break;
        for (const record of records) {
          if (record.kind === "sample") samples.push(record.sample);
          seq = record.seq + (record.kind === "gap" ? record.lost : 1);
        }
      }
      return samples.filter((s) => s.channel === channel).map((s) => ({ t: s.time - epoch, value: s.value, flags: s.flags }));
    },
    command(line, waitMs = 2_000) {
      terminal.take();
      terminal.type(`${line}\r`);
      board.scheduler.runFor(waitMs);
      return terminal.take().split("\r\n").slice(1).filter((text) => text !== "" && text !== "dl> ");
    },
  };
}
