/**
 * The sampling engine: reads every configured channel on its wall-clock schedule, powers shared
 * sensor rails ahead of the reading by the channel's warm-up time (once for channels read
 * together), hands each reading to its outputs' pipelines (alarms, statistics, logging), and tells
 * listeners about alarm changes at once so that the uplink can transmit them.
 *
 * One timer serves all channels: after every change the engine works out the next moment
 * something must happen (a rail to switch on, a reading to take) and sleeps until then. A reading
 * may finish at once (analog) or seconds later (SDI-12); a serial reading that does not finish in
 * its `timeoutMs` is logged as a timeout fault and its late answer ignored.
 */
import type { ChannelConfig, ChannelSetConfig, SerialChannelConfig, SerialProtocol } from "../config/channels.js";
import { channelOutputs } from "../config/channels-outputs.js";
import type { HealthCounters } from "../health/counters.js";
import type { TimerHandle } from "../platform/clock.js";
import type { Platform } from "../platform/platform.js";
import { SampleFlag, SensorFault, type Sample, type SampleSink } from "../records/sample.js";
import { analogReader, digitalReader, pulseReader } from "./builtin-readers.js";
import { OutputPipeline, type ExceptionEvent, type PipelineServices } from "./output-pipeline.js";
import { PowerRails } from "./rails.js";
import { faultReading, type ChannelReader, type ReaderContext, type ReaderFactory, type Reading } from "./reader.js";
import { nextSlot } from "./schedule.js";

export interface SamplingOptions {
  platform: Platform;
  config: ChannelSetConfig;
  sink: SampleSink;
  counters: HealthCounters;
  /** Drivers of serial sensors by protocol; a serial channel without one is not sampled (and traced). */
  serialReaders?: Partial<Record<SerialProtocol, ReaderFactory<SerialChannelConfig>>>;
}

interface ChannelSlot {
  readonly channel: ChannelConfig;
  readonly reader: ChannelReader;
  readonly pipelines: readonly OutputPipeline[];
  readonly intervalMs: number;
  readonly offsetMs: number;
  /** Wall-clock time of the next slot. */
  due: number;
  /** Holds its rail (warming up or reading). */
  powered: boolean;
  busy: boolean;
  /** Identifies the reading in flight, so that an abandoned reading's answer is ignored. */
  readNumber: number;
  timeout: TimerHandle | undefined;
}

export class SamplingEngine {
  readonly #options: SamplingOptions;
  readonly #listeners = new Set<(event: ExceptionEvent) => void>();
  readonly #slots: ChannelSlot[] = [];
  /** Names of channels that are not sampled, for lack of a driver or because their IO failed to open. */
  readonly unsampled: string[] = [];
  #rails: PowerRails | undefined;
  #timer: TimerHandle | undefined;
  #running = false;
  #servicing = false;
  #serviceAgain = false;

  constructor(options: SamplingOptions) {
    this.#options = options;
  }

  /** Listens for alarm changes; returns the function that stops listening. */
  onException(listener: (event: ExceptionEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  start(): void {
    if (this.#running) return;
    const { platform, config } = this.#options;
    this.#running = true;
    this.unsampled.length = 0;
    this.#rails = new PowerRails(platform.io.Digital, platform.clock, config.rails);
    const services = this.#pipelineServices();
    for (const channel of config.channels) {
      const offsetMs = channel.offsetS * 1000;
      const pipelines = channelOutputs(channel).map((output) => new OutputPipeline(output, {
        offsetMs,
        logEvents: channel.kind === "digital" && channel.logEdges,
        alarmState: channel.kind === "digital" ? channel.alarmState : undefined,
      }, services));
      const reader = this.#openReader(channel, {
        platform,
        counters: this.#options.counters,
        event: (readings, time) => { if (this.#running) this.#deliver(pipelines, readings, (p, r) => p.event(r, time)); },
      });
      if (!reader) continue;
      const intervalMs = channel.intervalS * 1000;
      this.#slots.push({
        channel, reader, pipelines, intervalMs, offsetMs,
        due: nextSlot(platform.clock.now(), intervalMs, offsetMs),
        powered: false, busy: false, readNumber: 0, timeout: undefined,
      });
    }
    this.#service();
  }

  /** Closes every input (pulse totals are saved) and switches the rails off. */
  stop(): void {
    if (!this.#running) return;
    const { timers } = this.#options.platform;
    this.#running = false;
    timers.clear(this.#timer);
    for (const slot of this.#slots) {
      timers.clear(slot.timeout);
      slot.reader.close();
    }
    this.#slots.length = 0;
    this.#rails?.close();
  }

  #openReader(channel: ChannelConfig, context: ReaderContext): ChannelReader | undefined {
    const { config, serialReaders } = this.#options;
    try {
      switch (channel.kind) {
        case "analog": return analogReader(channel, context, config.adcFullScaleVolts);
        case "pulse": return pulseReader(channel, context);
        case "digital": return digitalReader(channel, context);
        case "serial": {
          const factory = serialReaders?.[channel.protocol];
          if (factory) return factory(channel, context);
          this.#unsampled(channel, `no ${channel.protocol} driver`);
          return undefined;
        }
      }
    } catch (error) {
      this.#unsampled(channel, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  #unsampled(channel: ChannelConfig, why: string): void {
    this.unsampled.push(channel.name);
    this.#options.counters.increment("sampling.unsampled_channel");
    this.#options.platform.trace(`sampling: channel "${channel.name}" not sampled: ${why}`);
  }

  #pipelineServices(): PipelineServices {
    const { platform, sink, counters } = this.#options;
    return {
      clock: platform.clock,
      storage: platform.storage,
      trace: (line) => platform.trace(`sampling: ${line}`),
      log: (sample: Sample) => {
        if (sample.flags & SampleFlag.Fault) counters.increment("sampling.fault_sample");
        if (!sink.append(sample)) counters.increment("sampling.not_stored");
      },
      exception: (event) => { for (const listener of this.#listeners) listener(event); },
    };
  }

  /** Switches rails on ahead of their channels' slots and starts the readings that are due. */
  #service(): void {
    if (this.#servicing) {
      this.#serviceAgain = true;
      return;
    }
    this.#servicing = true;
    do {
      this.#serviceAgain = false;
      for (const slot of this.#slots) if (this.#running && !slot.busy) this.#advance(slot);
    } while (this.#serviceAgain);
    this.#servicing = false;
    if (this.#running) this.#arm();
  }

  #advance(slot: ChannelSlot): void {
    const { clock } = this.#options.platform;
    const { rail, warmUpMs } = slot.channel;
    const now = clock.now();
    // The wall clock was set back: re-align to the first slot from now instead of waiting for one far away.
    if (slot.due - now > slot.intervalMs + warmUpMs) slot.due = nextSlot(now - 1, slot.intervalMs, slot.offsetMs);
    // Slots passed unread (the clock was set forward): the reading now stands for the latest of them.
    const missed = Math.floor((now - slot.due) / slot.intervalMs);
    if (missed > 0) {
      this.#options.counters.increment("sampling.missed_slot", missed);
      slot.due += missed * slot.intervalMs;
    }
    if (rail !== undefined && !slot.powered && now >= slot.due - warmUpMs) {
      this.#rails!.acquire(rail);
      slot.powered = true;
    }
    if (now >= slot.due && (rail === undefined || this.#rails!.onForMs(rail) >= warmUpMs)) this.#read(slot, now);
  }

  #read(slot: ChannelSlot, time: number): void {
    const readNumber = ++slot.readNumber;
    const slotMs = slot.due;
    slot.busy = true;
    if (slot.channel.kind === "serial") {
      const timeouts = slot.pipelines.map(() => faultReading(SensorFault.Timeout));
      slot.timeout = this.#options.platform.timers.set(
        () => this.#finish(slot, readNumber, timeouts, time, slotMs), slot.channel.timeoutMs);
    }
    slot.reader.read((readings) => this.#finish(slot, readNumber, readings, time, slotMs));
  }

  #finish(slot: ChannelSlot, readNumber: number, readings: readonly Reading[], time: number, slotMs: number): void {
    const { platform, counters } = this.#options;
    if (!this.#running || !slot.busy || readNumber !== slot.readNumber) {
      if (this.#running) counters.increment("sampling.late_reading");
      return;
    }
    slot.busy = false;
    platform.timers.clear(slot.timeout);
    slot.timeout = undefined;
    if (slot.powered) {
      this.#rails!.release(slot.channel.rail!);
      slot.powered = false;
    }
    this.#deliver(slot.pipelines, readings, (pipeline, reading) => pipeline.scheduled(reading, time, slotMs));
    slot.due = nextSlot(platform.clock.now(), slot.intervalMs, slot.offsetMs);
    const missed = Math.round((slot.due - slotMs) / slot.intervalMs) - 1;
    if (missed > 0) counters.increment("sampling.missed_slot", missed);
    this.#service();
  }

  /** A reader that answers with the wrong number of values is a driver bug: its outputs log a fault. */
  #deliver(pipelines: readonly OutputPipeline[], readings: readonly Reading[],
    take: (pipeline: OutputPipeline, reading: Reading) => void): void {
    if (readings.length !== pipelines.length) {
      this.#options.counters.increment("sampling.bad_reading");
      for (const pipeline of pipelines) take(pipeline, faultReading(SensorFault.BadResponse));
      return;
    }
    pipelines.forEach((pipeline, i) => take(pipeline, readings[i]));
  }

  /** Sleeps until the earliest rail switch-on or reading. */
  #arm(): void {
    const { clock, timers } = this.#options.platform;
    timers.clear(this.#timer);
    this.#timer = undefined;
    const now = clock.now();
    let wake = Infinity;
    for (const slot of this.#slots) {
      if (slot.busy) continue;
      const { rail, warmUpMs } = slot.channel;
      let at = slot.due;
      if (rail !== undefined) {
        // Rounded up: a rail a fraction of a millisecond short of its warm-up would otherwise get
        // a 0 ms wake that reads nothing, again and again at the same instant.
        at = slot.powered ? Math.max(slot.due, now + Math.ceil(warmUpMs - this.#rails!.onForMs(rail))) : slot.due - warmUpMs;
      }
      wake = Math.min(wake, at);
    }
    if (wake === Infinity) return;
    this.#timer = timers.set(() => {
      this.#timer = undefined;
      this.#service();
    }, Math.max(0, Math.ceil(wake - now)));
  }
}
