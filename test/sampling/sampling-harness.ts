/**
 * Boots the sampling engine as the firmware on a simulated board, logging into memory that
 * outlives the board's resets (as flash would), and collecting the exception events. Node-free,
 * so the cases that use it also run inside XS.
 */
import { HealthCounters } from "../../modules/health/counters.js";
import type { ChannelSetConfig } from "../../modules/config/channels.js";
import { parseChannelSet } from "../../modules/config/channels-parse.js";
import type { Platform } from "../../modules/platform/platform.js";
import type { Sample, SampleSink } from "../../modules/records/sample.js";
import { SamplingEngine, type SamplingOptions } from "../../modules/sampling/engine.js";
import type { ExceptionEvent } from "../../modules/sampling/output-pipeline.js";
import { SimBoard } from "../../hosts/sim/board.js";

/** Keeps every sample; can be told to refuse, like a full log under the stop policy. */
export class MemorySink implements SampleSink {
  readonly samples: Sample[] = [];
  refuse = false;

  append(sample: Sample): boolean {
    if (this.refuse) return false;
    this.samples.push({ ...sample });
    return true;
  }

  of(channel: number): Sample[] {
    return this.samples.filter((sample) => sample.channel === channel);
  }
}

export interface SamplingRun {
  board: SimBoard;
  sink: MemorySink;
  exceptions: ExceptionEvent[];
  /** Counters of the current boot. */
  counters: HealthCounters;
  /** The engine of the current boot. */
  engine(): SamplingEngine;
  platform(): Platform;
}

export const DAY_MS = 86_400_000;

/** A board whose virtual time 0 is midnight UTC, so virtual and wall-clock slots coincide. */
export function newBoard(seed: number | string): SimBoard {
  return new SimBoard({ seed, epochMs: Date.UTC(2026, 2, 2) });
}

/** Boots `board` with a firmware that only hands out its platform, for driver tests. */
export function bootPlatform(board: SimBoard): Platform {
  let platform: Platform | undefined;
  board.start((booted) => { platform = booted; });
  return platform!;
}

/** Parses `json` against the board's pin map and starts sampling on the board (a power-on boot). */
export function startSampling(board: SimBoard, json: unknown, extra: Partial<SamplingOptions> = {}): SamplingRun {
  const config: ChannelSetConfig = parseChannelSet(json, board.pinMap);
  const sink = new MemorySink();
  const exceptions: ExceptionEvent[] = [];
  let engine: SamplingEngine | undefined;
  let platform: Platform | undefined;
  const run: SamplingRun = {
    board, sink, exceptions, counters: new HealthCounters(),
    engine: () => engine!,
    platform: () => platform!,
  };
  board.start((booted) => {
    platform = booted;
    run.counters = new HealthCounters();
    engine = new SamplingEngine({ platform: booted, config, sink, counters: run.counters, ...extra });
    engine.onException((event) => exceptions.push(event));
    engine.start();
  });
  return run;
}
