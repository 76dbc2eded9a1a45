/**
 * The simulated world of the uplink tests (Node-free, so the cases also run inside XS): the
 * example site's level, rain and door channels (the SDI-12 probe left out: it has no reader in
 * the data-path firmware), a logger transmitting to the in-memory server, and what landed there.
 */
import type { Transport } from "../../../modules/config/device-config.js";
import type { GapRecord, SampleRecord } from "../../../modules/uplink/records.js";
import type { IngestListener } from "../../../hosts/sim/server/ingest.js";
import type { LoggerFirmwareOptions } from "../../../hosts/sim/world/logger-firmware.js";
import { SimWorld, simDeviceDocument } from "../../../hosts/sim/world/sim-world.js";

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Level every minute with thresholds, rain every 5 minutes, the door hourly and on every move. */
export function channelSet(): unknown {
  return {
    rails: [{ name: "loop", pin: 25 }],
    channels: [
      {
        kind: "analog", name: "tank-level", id: 1, pin: 32, signal: { type: "current", shuntOhms: 150 }, scale: { min: 0, max: 5 },
        unit: "m", decimals: 3, average: 4, intervalS: 60, rail: "loop", warmUpMs: 2000,
        thresholds: { high: 4.2, low: 0.5, deadband: 0.1 },
      },
      {
        kind: "pulse", name: "rain", id: 20, pin: 13, counter: { type: "contact", debounceMs: 20, activeLow: true, maxHz: 5 },
        kFactor: 0.2, unit: "mm", decimals: 1, intervalS: 300, persistIntervalS: 300,
      },
      { kind: "digital", name: "door", id: 30, pin: 15, debounceMs: 50, intervalS: 3600 },
    ],
  };
}

/** Every record the server stored, by sequence number (of one device), and a count over all devices. */
export class Landed implements IngestListener {
  readonly samples = new Map<number, SampleRecord>();
  readonly gaps: GapRecord[] = [];
  stored = 0;

  onSample(_deviceId: number, record: SampleRecord): void {
    this.samples.set(record.seq, record);
    this.stored++;
  }

  onGap(_deviceId: number, record: GapRecord): void {
    this.gaps.push(record);
  }
}

export interface UplinkWorldOptions {
  seed?: string;
  days?: number;
  transport?: Transport;
  intervalS?: number;
  firmware?: LoggerFirmwareOptions;
  flashBlocks?: number;
  rtcDriftPpm?: number;
}

export function uplinkWorld(options: UplinkWorldOptions = {}): { world: SimWorld; landed: Landed; traces: string[] } {
  const landed = new Landed();
  const traces: string[] = [];
  const world: SimWorld = new SimWorld({
    seed: options.seed ?? "uplink", days: options.days ?? 2, landing: landed, flashBlocks: options.flashBlocks ?? 32, rtcDriftPpm: options.rtcDriftPpm,
    document: simDeviceDocument(channelSet(), { transport: options.transport, intervalS: options.intervalS ?? 3600 }),
    firmware: options.firmware,
    trace: (line) => { if (/^(uplink|receiver|logger|crash|restart)/.test(line)) traces.push(`${Math.round(world.board.scheduler.now / 1000)} ${line}`); },
  });
  return { world, landed, traces };
}

/** Runs virtual time until `done()` holds, for at most `limitMs`; false when it never held. */
export function runUntil(world: SimWorld, done: () => boolean, limitMs: number): boolean {
  const scheduler = world.board.scheduler;
  const end = scheduler.now + limitMs;
  while (!done()) {
    if (scheduler.now >= end) return false;
    const next = scheduler.nextTime();
    scheduler.runUntil(next === undefined ? end : Math.min(end, next));
  }
  return true;
}
