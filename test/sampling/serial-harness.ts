/**
 * The sampling engine with the serial buses of modules/logger/serial-sensors.ts, as the firmware
 * of a simulated board; and what the simulated peers said, to check the logged values against.
 * Node-free, so the cases that use it also run inside XS.
 */
import { parseChannelSet } from "../../modules/config/channels-parse.js";
import { HealthCounters } from "../../modules/health/counters.js";
import { SerialSensors, type SensorPorts } from "../../modules/logger/serial-sensors.js";
import type { Platform } from "../../modules/platform/platform.js";
import { SamplingEngine } from "../../modules/sampling/engine.js";
import type { SimBoard } from "../../hosts/sim/board.js";
import type { Sdi12SensorPeer } from "../../hosts/sim/peers/sdi12-sensor.js";
import { MemorySink } from "./sampling-harness.js";

export const MINUTE = 60_000;

export interface SerialRun {
  board: SimBoard;
  sink: MemorySink;
  counters: HealthCounters;
  engine: SamplingEngine;
  serial: SerialSensors;
  platform: Platform;
  /** Logged samples of `channel` as [virtual ms, value, flags]. */
  logged(channel: number): Array<[number, number, number]>;
}

/** Starts sampling `channels` (a channel set's `channels`) with the serial buses on `board`. */
export function startSerialSampling(board: SimBoard, channels: unknown[], ports?: SensorPorts): SerialRun {
  const config = parseChannelSet({ channels }, board.pinMap);
  const sink = new MemorySink();
  const counters = new HealthCounters();
  let run: SerialRun | undefined;
  board.start((platform) => {
    const serial = new SerialSensors(platform, counters, ports);
    const engine = new SamplingEngine({ platform, config, sink, counters, serialReaders: serial.readers });
    const epoch = platform.clock.now() - board.scheduler.now;
    run = {
      board, sink, counters, engine, serial, platform,
      logged: (channel) => sink.of(channel).map((s) => [s.time - epoch, s.value, s.flags]),
    };
    engine.start();
  });
  if (!run) throw new Error(`the firmware did not start: ${board.crashes.join("; ")}`);
  return run;
}

/** The values of every data answer (aD0!, aR0!) a simulated SDI-12 sensor sent, in order. */
export function sdi12DataAnswers(peer: Sdi12SensorPeer, crc = false): number[][] {
  const answers: number[][] = [];
  for (const event of peer.events) {
    if (event.kind !== "answer" || event.fault || !/^.[+-]/.test(event.text)) continue;
    const values = (crc ? event.text.slice(0, -3) : event.text).slice(1).match(/[+-][0-9.]+/g) ?? [];
    answers.push(values.map(Number));
  }
  return answers;
}

/** `value` rounded to `decimals` as the log's float32 holds it. */
export function logged32(value: number, decimals: number): number {
  return Math.fround(Number(value.toFixed(decimals)));
}
