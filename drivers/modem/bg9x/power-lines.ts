/**
 * The modem's three control lines, as Digital outputs. On the reference board each drives a
 * transistor, so a high output asserts the signal: PWRKEY pulled low, RESET_N pulled low, the
 * supply switch closed. Pulse widths follow the BG95 hardware design: PWRKEY >= 500 ms turns the
 * module on, >= 650 ms turns a running module off, RESET_N 2..3.8 s resets it.
 */
import type { TimerHandle, Timers } from "../../../modules/platform/clock.js";
import type { DigitalIO, IoClasses } from "../../../modules/platform/io.js";
import { DigitalMode } from "../../../modules/platform/io.js";
import type { PinMap } from "../../../modules/platform/platform.js";

export const POWER_TIMING = Object.freeze({
  /** VBAT must be stable before PWRKEY is pressed (>= 30 ms). */
  supplySettleMs: 100,
  powerOnPulseMs: 600,
  powerOffPulseMs: 800,
  resetPulseMs: 2500,
  /** How long the supply stays off in a power cut, so that the module's rails discharge. */
  powerCutMs: 2000,
});

export class PowerLines {
  readonly #powerKey: DigitalIO;
  readonly #reset: DigitalIO;
  readonly #supply: DigitalIO;
  readonly #timers: Timers;
  #pulse: TimerHandle | undefined;
  #supplied = false;

  constructor(io: IoClasses, pins: PinMap, timers: Timers) {
    this.#timers = timers;
    this.#powerKey = new io.Digital({ pin: pins.modemPowerKey, mode: DigitalMode.Output });
    this.#reset = new io.Digital({ pin: pins.modemReset, mode: DigitalMode.Output });
    this.#supply = new io.Digital({ pin: pins.modemSupply, mode: DigitalMode.Output });
    this.#powerKey.write(0);
    this.#reset.write(0);
    this.#supply.write(0);
  }

  get supplied(): boolean {
    return this.#supplied;
  }

  setSupply(on: boolean): void {
    this.#supplied = on;
    this.#supply.write(on ? 1 : 0);
    if (!on) this.#release();
  }

  /** Presses PWRKEY for `ms`, then calls `done`. */
  pressPowerKey(ms: number, done: () => void): void {
    this.#assert(this.#powerKey, ms, done);
  }

  pressReset(ms: number, done: () => void): void {
    this.#assert(this.#reset, ms, done);
  }

  close(): void {
    this.#release();
    this.#powerKey.close();
    this.#reset.close();
    this.#supply.close();
  }

  #assert(line: DigitalIO, ms: number, done: () => void): void {
    this.#release();
    line.write(1);
    this.#pulse = this.#timers.set(() => {
      this.#pulse = undefined;
      line.write(0);
      done();
    }, ms);
  }

  /** Ends any pulse in progress without calling its continuation. */
  #release(): void {
    if (!this.#pulse) return;
    this.#timers.clear(this.#pulse);
    this.#pulse = undefined;
    this.#powerKey.write(0);
    this.#reset.write(0);
  }
}
