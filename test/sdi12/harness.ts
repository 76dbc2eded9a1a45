/**
 * A simulated board with the soil probe (address 0) and the level sensor (address 1) on its
 * SDI-12 bus, and a recorder started by the firmware; Node-free, so cases run in XS too.
 */
import { HealthCounters } from "../../modules/health/counters.js";
import { Sdi12Recorder, type Sdi12RecorderOptions } from "../../drivers/sdi12/recorder.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { type ProbeOptions, levelSensor, soilProbe } from "../../hosts/sim/peers/sdi12-probes.js";
import type { Sdi12SensorPeer } from "../../hosts/sim/peers/sdi12-sensor.js";

export interface Sdi12Bench {
  board: SimBoard;
  probe: Sdi12SensorPeer;
  level: Sdi12SensorPeer | undefined;
  counters: HealthCounters;
  recorder: Sdi12Recorder;
  /** Runs virtual time until `start`'s callback fires (at most `limitMs`), returning its argument. */
  complete<T>(start: (done: (result: T) => void) => void, limitMs?: number): T;
}

export interface Sdi12BenchOptions {
  recorder?: Sdi12RecorderOptions;
  probe?: ProbeOptions;
  level?: ProbeOptions;
  /** Leave the level sensor off the bus. */
  probeOnly?: boolean;
}

export function sdi12Bench(options: Sdi12BenchOptions = {}): Sdi12Bench {
  const board = new SimBoard({ seed: 12 });
  const probe = soilProbe(board.attach("sdi12", "probe-0"), options.probe);
  const level = options.probeOnly ? undefined : levelSensor(board.attach("sdi12", "level-1"), options.level);
  const counters = new HealthCounters();
  let recorder: Sdi12Recorder | undefined;
  board.start((platform) => {
    recorder = new Sdi12Recorder(platform, counters, options.recorder);
  });
  if (!recorder) throw new Error(`the recorder did not start: ${board.crashes.join("; ")}`);
  const started = recorder;
  return {
    board, probe, level, counters, recorder: started,
    complete: (start, limitMs) => completeOn(board, start, limitMs),
  };
}

/** The commands a peer accepted, in order. */
export function commandTexts(peer: Sdi12SensorPeer): string[] {
  return peer.events.filter((e) => e.kind === "command").map((e) => (e.kind === "command" ? e.text : ""));
}

/**
 * Runs `board`'s virtual time until the callback given to `start` fires, and returns what it
 * was called with. Fails if it never fires, fires twice, or the firmware crashed.
 */
export function completeOn<T>(board: SimBoard, start: (done: (result: T) => void) => void, limitMs = 120_000): T {
  let result: { value: T } | undefined;
  start((value) => {
    if (result) throw new Error("callback called twice");
    result = { value };
  });
  const end = board.scheduler.now + limitMs;
  while (!result && board.scheduler.now < end && board.scheduler.step()) { /* run */ }
  if (board.crashes.length) throw new Error(`firmware crashed: ${board.crashes.join("; ")}`);
  if (!result) throw new Error(`no callback within ${limitMs} ms of virtual time`);
  return result.value;
}
