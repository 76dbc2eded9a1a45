/**
 * Two SDI-12 sensors for scenarios: a multi-parameter soil probe (moisture, temperature, EC,
 * with a moisture profile over the high-volume command) and a water level sensor, each with
 * values that drift slowly with virtual time, so that successive readings differ.
 */
import type { SerialTap } from "../serial-bus.js";
import { Sdi12SensorPeer, type Sdi12MeasurementSpec } from "./sdi12-sensor.js";

const HOUR_MS = 3_600_000;

function wave(timeMs: number, mean: number, amplitude: number, periodHours: number): number {
  return mean + amplitude * Math.sin((2 * Math.PI * timeMs) / (periodHours * HOUR_MS));
}

export interface ProbeOptions {
  address?: string;
  /** Seconds announced for aM!/aC! (ttt). */
  measurementSeconds?: number;
  /** When the values are really ready, in ms (service request time); defaults to the announced time. */
  readyMs?: number;
  /** Send the service request (a compliant sensor does). */
  serviceRequest?: boolean;
  /** Time after a break before the sensor can read a command (≤ 100 ms). */
  wakeMs?: number;
}

/** Volumetric moisture %, soil temperature °C, bulk EC dS/m. */
export function soilProbe(tap: SerialTap, options: ProbeOptions = {}): Sdi12SensorPeer {
  const seconds = options.measurementSeconds ?? 2;
  const read = (t: number) => [wave(t, 23.4, 2.1, 24), wave(t, 14.8, 3.5, 24), wave(t, 0.412, 0.03, 48)];
  const base = { seconds, read, decimals: [1, 2, 3], metadata: [["MW", "%", "volumetric water content"], ["TS", "C"], ["EC", "dS/m"]] };
  const measurement: Sdi12MeasurementSpec = options.readyMs === undefined ? base : { ...base, readyMs: options.readyMs };
  /** Moisture at 12 depths, more than one 35-character page. */
  const profile = (t: number) => Array.from({ length: 12 }, (_, depth) => wave(t, 20 + depth * 1.5, 1.2, 24 + depth));
  return new Sdi12SensorPeer(tap, {
    address: options.address ?? "0",
    identity: { sdi12Version: "14", vendor: "TERRASIM", model: "SP3", version: "1.2", extra: "SN00042" },
    measurements: {
      M: measurement,
      C: measurement,
      M1: { seconds: 1, read: (t) => profile(t).slice(0, 9), decimals: 2 },
      C1: { seconds: 1, read: profile, decimals: 2 },
      V: { seconds: 1, read: () => [0, 3.61], decimals: [0, 2] },
      HA: { seconds: 1, read: (t) => Array.from({ length: 40 }, (_, i) => wave(t, 100 + i, 5, 12)), decimals: 3 },
      R0: { seconds: 0, read: (t) => [wave(t, 14.8, 3.5, 24)], decimals: 2 },
    },
    ...(options.serviceRequest === undefined ? {} : { serviceRequest: options.serviceRequest }),
    ...(options.wakeMs === undefined ? {} : { wakeMs: options.wakeMs }),
  });
}

/** Water level in m and water temperature °C; level can be below the datum (negative). */
export function levelSensor(tap: SerialTap, options: ProbeOptions = {}): Sdi12SensorPeer {
  const seconds = options.measurementSeconds ?? 1;
  const read = (t: number) => [wave(t, -0.35, 1.2, 12.4), wave(t, 9.6, 1.1, 24)];
  return new Sdi12SensorPeer(tap, {
    address: options.address ?? "1",
    identity: { sdi12Version: "13", vendor: "HYDROSIM", model: "LV100", version: "3.0" },
    measurements: {
      M: { seconds, read, decimals: [4, 2], metadata: [["HG", "m"], ["TW", "C"]] },
      C: { seconds, read, decimals: [4, 2] },
    },
    ...(options.serviceRequest === undefined ? {} : { serviceRequest: options.serviceRequest }),
  });
}
