/**
 * A 4-20 mA level transmitter on a shunt at an ADC pin, powered from a switched rail. It behaves
 * as NAMUR NE 43 transmitters do: the measurement maps 4-20 mA and saturates at 3.8 / 20.5 mA,
 * the loop is at most 3.5 mA while the transmitter starts up after power-on, and a failure drives
 * it to a fault current. Noise and a slow drift of the loop current are added; faults can be
 * injected: a broken loop (0 mA), a transmitter stuck at 3.5 mA, or one failing high at 22 mA.
 */
import type { PinBank } from "../board-io.js";
import type { SeededRandom } from "../seeded-random.js";

export type LoopFault = "loop-break" | "stuck-low" | "fail-high";

const FAULT_CURRENT_MA: Readonly<Record<LoopFault, number>> = Object.freeze({ "loop-break": 0, "stuck-low": 3.5, "fail-high": 22 });
const STARTUP_CURRENT_MA = 3.5;

export interface LevelTransmitterOptions {
  pins: PinBank;
  pin: number;
  /** The rail that powers the loop; without one the transmitter is always on. */
  railPin?: number;
  shuntOhms: number;
  /** Level at 4 mA and at 20 mA. */
  rangeMin: number;
  rangeMax: number;
  /** The true level at virtual time t. */
  level: (timeMs: number) => number;
  noiseMa?: number;
  driftMaPerDay?: number;
  startupMs?: number;
  random: SeededRandom;
}

export class LevelTransmitter {
  fault: LoopFault | undefined;
  readonly #options: LevelTransmitterOptions;
  #poweredAt = 0;

  constructor(options: LevelTransmitterOptions) {
    this.#options = options;
    const { pins, pin, railPin } = options;
    if (railPin !== undefined) pins.watch(railPin, (level) => { if (level) this.#poweredAt = pins.scheduler.now; });
    pins.connectAnalog(pin, (timeMs) => (this.loopCurrentMa(timeMs, true) / 1000) * options.shuntOhms);
  }

  /** From now on the transmitter fails this way (undefined: it works again). */
  inject(fault: LoopFault | undefined): void {
    this.fault = fault;
  }

  /** The loop current the transmitter drives, with or without noise. */
  loopCurrentMa(timeMs: number, noisy = false): number {
    const { pins, railPin, startupMs = 0, noiseMa = 0, driftMaPerDay = 0, random } = this.#options;
    if (railPin !== undefined) {
      if (!pins.level(railPin)) return 0;
      if (timeMs - this.#poweredAt < startupMs) return STARTUP_CURRENT_MA;
    }
    if (this.fault) return FAULT_CURRENT_MA[this.fault];
    const measured = Math.min(20.5, Math.max(3.8, this.idealCurrentMa(timeMs)));
    return measured + (driftMaPerDay * timeMs) / 86_400_000 + (noisy ? noiseMa * random.gaussian() : 0);
  }

  /** The current that would represent the true level, unclamped, without drift or noise. */
  idealCurrentMa(timeMs: number): number {
    const { rangeMin, rangeMax, level } = this.#options;
    return 4 + (16 * (level(timeMs) - rangeMin)) / (rangeMax - rangeMin);
  }
}
