/**
 * A sensor with a voltage output (0-10 V, or 2-10 V with a live zero) through a divider to an ADC
 * pin. Faults: a broken wire (the input reads 0 V) and an output driven beyond its range.
 */
import type { PinBank } from "../board-io.js";
import type { SeededRandom } from "../seeded-random.js";

export type VoltageFault = "wire-break" | "over-range";

export interface VoltageSensorOptions {
  pins: PinBank;
  pin: number;
  topOhms: number;
  bottomOhms: number;
  /** Sensor output at virtual time t, in volts. */
  output: (timeMs: number) => number;
  noiseVolts?: number;
  /** What the output is driven to when it fails high. */
  overRangeVolts?: number;
  random: SeededRandom;
}

export class VoltageSensor {
  fault: VoltageFault | undefined;
  readonly #options: VoltageSensorOptions;

  constructor(options: VoltageSensorOptions) {
    this.#options = options;
    const ratio = options.bottomOhms / (options.topOhms + options.bottomOhms);
    options.pins.connectAnalog(options.pin, (timeMs) => Math.max(0, this.terminalVolts(timeMs, true)) * ratio);
  }

  inject(fault: VoltageFault | undefined): void {
    this.fault = fault;
  }

  /** Volts at the logger's terminals. */
  terminalVolts(timeMs: number, noisy = false): number {
    const { output, noiseVolts = 0, overRangeVolts = 12, random } = this.#options;
    if (this.fault === "wire-break") return 0;
    if (this.fault === "over-range") return overRangeVolts;
    return output(timeMs) + (noisy ? noiseVolts * random.gaussian() : 0);
  }
}
