/**
 * The uplink, measured.
 *
 * Bytes per sample on the reference trace (30 simulated days of the example configuration at
 * one-minute sampling, as the logger logged it): our packets (4 KiB each, as a backlog goes, and
 * as the hourly sessions of the run actually sent them) next to JSON and CBOR of the same samples.
 *
 * The whole pipeline (site sensors, sampling, ring log on NOR flash, uplink agent, modem session
 * over the simulated BG95's UART, in-memory network, receiver) in simulated device-days per
 * wall-clock second, with modem-on seconds and bytes sent per simulated day, for transmissions
 * every 5 minutes (the example's), every hour and once a day. Goal: a device-year in 60 s.
 */
import { readFileSync } from "node:fs";
import type { Sample } from "../modules/records/sample.js";
import { encodePacket } from "../modules/uplink/packet.js";
import type { SampleRecord } from "../modules/uplink/records.js";
import type { LoggerParts } from "../hosts/sim/world/logger-firmware.js";
import { SimWorld, simDeviceDocument } from "../hosts/sim/world/sim-world.js";

const DAY_MS = 86_400_000;
const example: { channels: Array<Record<string, unknown>> } = JSON.parse(readFileSync(new URL("../examples/config/example.json", import.meta.url), "utf8"));

/** The example with every channel read each minute and the level's own samples logged too. */
function everyMinute(): unknown {
  return {
    ...example,
    channels: example.channels.map((channel) => {
      const minute: Record<string, unknown> = { ...channel, intervalS: 60 };
      if (channel.kind === "pulse") minute.persistIntervalS = 60;
      if (channel.stats) minute.stats = { ...(channel.stats as object), keepSamples: true };
      return minute;
    }),
  };
}

interface PipelineRun {
  days: number;
  wallS: number;
  trace: SampleRecord[];
  sessions: number;
  bytesSent: number;
  modemOnS: number;
}

function pipeline(sampling: unknown, intervalS: number, days: number, keepTrace = false): PipelineRun {
  const trace: SampleRecord[] = [];
  const totals = { sessions: 0, bytes: 0, modemOnMs: 0 };
  let parts: LoggerParts | undefined;
  const addUp = () => {
    const status = parts?.agent?.status();
    if (!status) return;
    totals.sessions += status.sessions;
    totals.bytes += status.bytesSent;
    totals.modemOnMs += status.modemOnMs;
  };
  const world = new SimWorld({
    seed: `bench-${intervalS}`, days, document: simDeviceDocument(sampling, { intervalS }),
    firmware: {
      tap: keepTrace ? (seq, sample: Sample) => trace.push({ kind: "sample", seq, sample: { ...sample, value: Math.fround(sample.value) } }) : undefined,
      onBoot: (booted) => { addUp(); parts = booted; },
    },
  });
  world.start();
  const start = performance.now();
  world.board.scheduler.runFor(days * DAY_MS);
  const wallS = (performance.now() - start) / 1000;
  addUp();
  return { days, wallS, trace, sessions: totals.sessions, bytesSent: totals.bytes, modemOnS: totals.modemOnMs / 1000 };
}

function pipelineFigures(run: PipelineRun): Record<string, number> {
  return {
    simulatedDays: run.days,
    wallSeconds: Number(run.wallS.toFixed(2)),
    deviceDaysPerSecond: Number((run.days / run.wallS).toFixed(2)),
    wallSecondsPerDeviceYear: Number(((365 / run.days) * run.wallS).toFixed(1)),
    sessionsPerDay: Number((run.sessions / run.days).toFixed(1)),
    modemOnSecondsPerDay: Number((run.modemOnS / run.days).toFixed(1)),
    bytesSentPerDay: Math.round(run.bytesSent / run.days),
  };
}

/** Our packets, each as long as fits 4 KiB, over the whole trace. */
function packetBytes(trace: readonly SampleRecord[]): { bytes: number; packets: number } {
  let bytes = 0;
  let packets = 0;
  for (let offset = 0; offset < trace.length; packets++) {
    const packet = encodePacket(1001, trace.slice(offset, offset + 4000));
    bytes += packet.bytes.length;
    offset += packet.count;
  }
  return { bytes, packets };
}

/** What a JSON uplink of the same records would carry. */
function jsonBytes(trace: readonly SampleRecord[]): number {
  const utf8 = new TextEncoder();
  return utf8.encode(JSON.stringify(trace.map((r) => ({ seq: r.seq, channel: r.sample.channel, time: r.sample.time, value: r.sample.value, flags: r.sample.flags })))).length;
}

/** CBOR (RFC 8949) with preferred serialisation: shortest integers, float32 where exact. */
class Cbor {
  readonly #out: number[] = [];

  get length(): number {
    return this.#out.length;
  }

  #head(major: number, value: number): void {
    if (value < 24) this.#out.push((major << 5) | value);
    else if (value < 0x100) this.#out.push((major << 5) | 24, value);
    else if (value < 0x10000) this.#out.push((major << 5) | 25, value >> 8, value & 0xff);
    else if (value < 0x100000000) this.#out.push((major << 5) | 26, (value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
    else {
      const high = Math.floor(value / 0x100000000);
      this.#out.push((major << 5) | 27, 0, 0, (high >> 8) & 0xff, high & 0xff, (value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
    }
  }

  number(value: number): void {
    if (Number.isSafeInteger(value)) return value >= 0 ? this.#head(0, value) : this.#head(1, -1 - value);
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    if (Math.fround(value) === value) {
      view.setFloat32(0, value);
      this.#out.push(0xfa, ...bytes.subarray(0, 4));
    } else {
      view.setFloat64(0, value);
      this.#out.push(0xfb, ...bytes);
    }
  }

  text(value: string): void {
    const bytes = new TextEncoder().encode(value);
    this.#head(3, bytes.length);
    this.#out.push(...bytes);
  }

  array(length: number): void {
    this.#head(4, length);
  }

  map(length: number): void {
    this.#head(5, length);
  }
}

function cborBytes(trace: readonly SampleRecord[]): number {
  const cbor = new Cbor();
  cbor.array(trace.length);
  for (const record of trace) {
    cbor.map(5);
    for (const [key, value] of [["seq", record.seq], ["channel", record.sample.channel], ["time", record.sample.time], ["value", record.sample.value], ["flags", record.sample.flags]] as const) {
      cbor.text(key);
      cbor.number(value);
    }
  }
  return cbor.length;
}

const perSample = (bytes: number, samples: number) => Number((bytes / samples).toFixed(3));

export default async function uplink(): Promise<Record<string, unknown>> {
  pipeline(example, 3600, 1); // warms the JIT so that no measured run pays for it
  const reference = pipeline(everyMinute(), 3600, 30, true);
  const samples = reference.trace.length;
  const packets = packetBytes(reference.trace);
  return {
    referenceTrace: {
      description: "30 simulated days of examples/config/example.json at 1-minute sampling",
      samples,
      channels: new Set(reference.trace.map((r) => r.sample.channel)).size,
      bytesPerSample: {
        packets4KiB: perSample(packets.bytes, samples),
        packetsAsSentHourly: perSample(reference.bytesSent, samples),
        json: perSample(jsonBytes(reference.trace), samples),
        cbor: perSample(cborBytes(reference.trace), samples),
      },
      packets4KiB: packets.packets,
      goalBytesPerSample: 2.5,
    },
    pipeline: {
      referenceTraceHourly: pipelineFigures(reference),
      exampleEvery5Minutes: pipelineFigures(pipeline(example, 300, 7)),
      exampleHourly: pipelineFigures(pipeline(example, 3600, 30)),
      exampleDaily: pipelineFigures(pipeline(example, 86_400, 30)),
      goalWallSecondsPerDeviceYear: 60,
    },
  };
}
