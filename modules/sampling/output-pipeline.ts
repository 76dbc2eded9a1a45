/**
 * What happens to each value a channel produces: alarms are checked, statistics gathered, the
 * value rounded, flagged with the clock's quality, and logged when the configuration asks for it
 * or when it carries an alarm change, which also goes out at once as an exception event.
 */
import type { OutputConfig } from "../config/channels.js";
import type { Clock } from "../platform/clock.js";
import type { KeyValueStore } from "../platform/platform.js";
import { SampleFlag, timeQualityFlags, type Sample } from "../records/sample.js";
import { alarmKey, decodeAlarmState, encodeAlarmState } from "./alarm-record.js";
import { AlarmMonitor, alarmFlags, type AlarmKind } from "./alarms.js";
import type { Reading } from "./reader.js";
import { StatsWindow } from "./stats-window.js";

/** A threshold crossing, a return to normal, a sensor failing or recovering: the uplink sends it now. */
export interface ExceptionEvent {
  channel: number;
  kind: AlarmKind;
  raised: boolean;
  /** The logged sample that carries the change. */
  sample: Sample;
}

export interface PipelineServices {
  readonly clock: Clock;
  readonly storage: KeyValueStore;
  log(sample: Sample): void;
  exception(event: ExceptionEvent): void;
  trace(line: string): void;
}

export interface PipelineOptions {
  /** Digital inputs: the state that raises an alarm. */
  alarmState?: 0 | 1;
  /** The schedule's offset, which aligns statistics windows too. */
  offsetMs: number;
  /** Log every event reading (digital edges), not only those that change an alarm. */
  logEvents: boolean;
}

export class OutputPipeline {
  readonly #output: OutputConfig;
  readonly #options: PipelineOptions;
  readonly #services: PipelineServices;
  readonly #alarms: AlarmMonitor | undefined;
  readonly #stats: StatsWindow | undefined;
  readonly #logSamples: boolean;

  constructor(output: OutputConfig, options: PipelineOptions, services: PipelineServices) {
    this.#output = output;
    this.#options = options;
    this.#services = services;
    // Only outputs with alarm rules alarm on faults: a sensor nobody watches must not wake the uplink.
    if (output.thresholds || options.alarmState !== undefined) {
      this.#alarms = new AlarmMonitor({ thresholds: output.thresholds, alarmState: options.alarmState }, this.#loadAlarms());
    }
    if (output.stats) this.#stats = new StatsWindow(output.stats, options.offsetMs);
    this.#logSamples = !output.stats || output.stats.keepSamples;
  }

  /** The reading of the slot at `slotMs`, taken at wall-clock `time`. */
  scheduled(reading: Reading, time: number, slotMs: number): void {
    this.#take(reading, time, this.#logSamples, 0);
    if (!this.#stats) return;
    for (const stat of this.#stats.add(reading, slotMs)) this.#log(stat.id, stat.time, stat.reading, 0);
  }

  /** A reading that happened on its own at `time` (a digital edge). */
  event(reading: Reading, time: number): void {
    this.#take(reading, time, this.#options.logEvents, SampleFlag.Event);
  }

  #take(reading: Reading, time: number, log: boolean, extraFlags: number): void {
    const alarms = this.#alarms;
    const changes = alarms ? alarms.update(reading, this.#services.clock.monotonic()) : [];
    if (!log && changes.length === 0) return;
    const sample = this.#log(this.#output.id, time, reading, extraFlags | alarmFlags(changes));
    if (!changes.length || !alarms) return;
    this.#services.storage.write(alarmKey(this.#output.id), encodeAlarmState(alarms.active));
    for (const change of changes) this.#services.exception({ channel: this.#output.id, ...change, sample });
  }

  #log(id: number, time: number, reading: Reading, extraFlags: number): Sample {
    const faulted = (reading.flags & SampleFlag.Fault) !== 0;
    const decimals = this.#output.decimals;
    const scale = decimals === undefined ? 0 : 10 ** decimals;
    const sample: Sample = {
      channel: id,
      time,
      value: faulted || !scale ? reading.value : Math.round(reading.value * scale) / scale,
      flags: reading.flags | extraFlags | timeQualityFlags(this.#services.clock.quality),
    };
    this.#services.log(sample);
    return sample;
  }

  #loadAlarms(): number {
    const bytes = this.#services.storage.read(alarmKey(this.#output.id));
    if (!bytes) return 0;
    const active = decodeAlarmState(bytes);
    if (active !== undefined) return active;
    this.#services.trace(`alarm state ${alarmKey(this.#output.id)} unreadable; starting from normal`);
    return 0;
  }
}
