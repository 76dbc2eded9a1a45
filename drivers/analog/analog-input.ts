/**
 * A 4-20 mA or 0-10 V input on the board's ADC: averages N conversions, checks the signal's band,
 * and scales to engineering units. A conversion at the ADC's top code means the input is beyond
 * what the ADC can see, so it is an over-range fault whatever the signal type.
 */
import type { AnalogChannelConfig } from "../../modules/config/channels.js";
import type { AnalogClass, AnalogIO } from "../../modules/platform/io.js";
import { SampleFlag, SensorFault } from "../../modules/records/sample.js";
import type { Reading } from "../../modules/sampling/reader.js";
import { faultReading } from "../../modules/sampling/reader.js";
import { interpolate } from "./calibration.js";
import { loopCurrentBand, voltageBand, type SignalBand } from "./signal-bands.js";

export type AnalogInputConfig = Pick<AnalogChannelConfig, "pin" | "signal" | "scale" | "average">;

export class AnalogInput {
  readonly #io: AnalogIO;
  readonly #config: AnalogInputConfig;
  readonly #voltsPerCode: number;
  readonly #topCode: number;

  constructor(Analog: AnalogClass, config: AnalogInputConfig, adcFullScaleVolts: number) {
    this.#io = new Analog({ pin: config.pin });
    this.#config = config;
    this.#topCode = 2 ** this.#io.resolution - 1;
    this.#voltsPerCode = adcFullScaleVolts / this.#topCode;
  }

  /** The signal at the terminals (mA or V) for one ADC code. */
  #signalOf(code: number): number {
    const volts = code * this.#voltsPerCode;
    const signal = this.#config.signal;
    return signal.type === "current"
      ? (volts / signal.shuntOhms) * 1000
      : (volts * (signal.topOhms + signal.bottomOhms)) / signal.bottomOhms;
  }

  #band(value: number): SignalBand {
    const signal = this.#config.signal;
    return signal.type === "current" ? loopCurrentBand(value) : voltageBand(value, signal);
  }

  /** One averaged measurement. Any conversion in a fault band makes the whole measurement a fault. */
  measure(): Reading {
    let sum = 0;
    let fault = 0;
    for (let i = 0; i < this.#config.average; i++) {
      const code = this.#io.read();
      const signal = this.#signalOf(code);
      const band = code >= this.#topCode ? { fault: SensorFault.Overrange, saturated: false } : this.#band(signal);
      if (band.fault) fault = band.fault;
      sum += signal;
    }
    if (fault) return faultReading(fault);
    const signal = sum / this.#config.average;
    return {
      value: interpolate(this.#config.scale, signal),
      flags: this.#band(signal).saturated ? SampleFlag.Saturated : 0,
    };
  }

  close(): void {
    this.#io.close();
  }
}
