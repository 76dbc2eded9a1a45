/** Readers for the board's own inputs: analog, pulse and digital channels over their drivers. */
import { AnalogInput } from "../../drivers/analog/analog-input.js";
import { DebouncedInput } from "../../drivers/digital/debounced-input.js";
import { ContactPulseSource } from "../../drivers/pulse/contact-pulse-source.js";
import { HardwarePulseSource } from "../../drivers/pulse/hardware-pulse-source.js";
import type { PulseSource } from "../../drivers/pulse/pulse-source.js";
import { PulseTotalizer } from "../../drivers/pulse/pulse-totalizer.js";
import type { AnalogChannelConfig, DigitalChannelConfig, PulseChannelConfig } from "../config/channels.js";
import type { ChannelReader, ReaderContext, Reading } from "./reader.js";

export function analogReader(channel: AnalogChannelConfig, context: ReaderContext, adcFullScaleVolts: number): ChannelReader {
  const input = new AnalogInput(context.platform.io.Analog, channel, adcFullScaleVolts);
  return {
    read: (done) => done([input.measure()]),
    close: () => input.close(),
  };
}

/** Total and, if configured, rate: the amount since the previous reading, or per `perSeconds`. */
export function pulseReader(channel: PulseChannelConfig, context: ReaderContext): ChannelReader {
  const { platform } = context;
  const counter = channel.counter;
  const source: PulseSource = counter.type === "hardware"
    ? new HardwarePulseSource(platform.io.PulseCount, platform.timers, { pin: channel.pin, filterNs: counter.filterNs, maxHz: counter.maxHz })
    : new ContactPulseSource(platform, { pin: channel.pin, debounceMs: counter.debounceMs, activeLow: counter.activeLow });
  const totalizer = new PulseTotalizer(platform, source, channel.id, channel.persistIntervalS * 1000);
  let previous = { pulses: totalizer.pulses, atMs: platform.clock.monotonic() };
  return {
    read(done) {
      const current = { pulses: totalizer.pulses, atMs: platform.clock.monotonic() };
      const readings: Reading[] = [{ value: current.pulses * channel.kFactor, flags: 0 }];
      const rate = channel.rate;
      if (rate) {
        const amount = (current.pulses - previous.pulses) * channel.kFactor;
        const elapsedMs = current.atMs - previous.atMs;
        const perSeconds = rate.perSeconds;
        const value = perSeconds === undefined ? amount : elapsedMs > 0 ? (amount * perSeconds * 1000) / elapsedMs : 0;
        readings.push({ value, flags: 0 });
      }
      previous = current;
      done(readings);
    },
    close: () => totalizer.close(),
  };
}

/** State on schedule; each debounced change is reported at once as an event. */
export function digitalReader(channel: DigitalChannelConfig, context: ReaderContext): ChannelReader {
  const input = new DebouncedInput(context.platform, {
    pin: channel.pin,
    activeLow: channel.activeLow,
    debounceMs: channel.debounceMs,
    onChange: (state, time) => context.event([{ value: state, flags: 0 }], time),
  });
  return {
    read: (done) => done([{ value: input.state, flags: 0 }]),
    close: () => input.close(),
  };
}
