/**
 * A flow meter with a pulse output at kHz rates (K pulses per litre) on a pulse counter pin. To
 * stay cheap in virtual time it delivers its pulses in batches every `batchMs`, carrying
 * fractions over so no pulse is lost. Electrical noise can be injected as glitches far narrower
 * than real pulses, which the counter's glitch filter must drop. It counts every real pulse it
 * sent as ground truth.
 */
import type { PinBank } from "../board-io.js";

export interface FlowMeterOptions {
  pins: PinBank;
  pin: number;
  pulsesPerLitre: number;
  /** True flow at virtual time t, litres per second. */
  flow: (timeMs: number) => number;
  batchMs?: number;
}

export class FlowMeter {
  /** Real pulses sent so far. */
  pulses = 0;
  glitches = 0;
  readonly #options: FlowMeterOptions;
  #fraction = 0;

  constructor(options: FlowMeterOptions) {
    this.#options = options;
    const batchMs = options.batchMs ?? 100;
    const scheduler = options.pins.scheduler;
    const tick = () => {
      this.#deliver(scheduler.now, batchMs);
      scheduler.after(batchMs, tick);
    };
    scheduler.after(batchMs, tick);
  }

  /** `count` noise spikes `widthNs` wide arrive now. */
  glitch(count: number, widthNs: number): void {
    this.glitches += count;
    this.#options.pins.addPulses(this.#options.pin, count, widthNs);
  }

  #deliver(nowMs: number, batchMs: number): void {
    const { pins, pin, pulsesPerLitre, flow } = this.#options;
    const hz = flow(nowMs) * pulsesPerLitre;
    const exact = this.#fraction + (hz * batchMs) / 1000;
    const count = Math.floor(exact);
    this.#fraction = exact - count;
    if (count === 0) return;
    this.pulses += count;
    // A square wave: each pulse is high for half its period.
    pins.addPulses(pin, count, Math.round(5e8 / hz));
  }
}
