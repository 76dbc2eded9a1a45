/**
 * The recovery ladder for a modem that stops answering or misbehaves. Each rung is stronger and
 * slower than the one before: `AT` probes, a software restart (`AT+CFUN=1,1`), a PWRKEY
 * off/on cycle, the RESET line, and finally cutting the supply. A recovery starts on the rung
 * after the last one used, so a fault that comes back after a weak rung meets a stronger one;
 * the session calls `settle()` once the modem has worked again. Every rung used is counted.
 */
import type { Timers } from "../../../modules/platform/clock.js";
import type { HealthCounters } from "../../../modules/health/counters.js";
import type { Bg9xModem } from "./bg9x-modem.js";
import { TIMEOUTS } from "./command-timeouts.js";
import { POWER_TIMING } from "./power-lines.js";

export const RECOVERY_STEPS = ["probe", "cfun", "power-key", "reset-line", "power-cut"] as const;
export type RecoveryStep = (typeof RECOVERY_STEPS)[number];

export interface RecoveryOutcome {
  recovered: boolean;
  /** The last rung tried. */
  step: RecoveryStep;
  /** True when the module restarted, so all its settings and connections are gone. */
  rebooted: boolean;
}

export class RecoveryLadder {
  readonly #modem: Bg9xModem;
  readonly #timers: Timers;
  readonly #counters: HealthCounters;
  #level = 0;
  /** Bumped by cancel(): continuations of an abandoned recovery check it and stop. */
  #epoch = 0;

  constructor(modem: Bg9xModem, timers: Timers, counters: HealthCounters) {
    this.#modem = modem;
    this.#timers = timers;
    this.#counters = counters;
  }

  /** The rung the next recovery starts on. */
  get nextStep(): RecoveryStep {
    return RECOVERY_STEPS[this.#level];
  }

  settle(): void {
    this.#level = 0;
  }

  /** Abandons a recovery in progress (the session is shutting the modem down). */
  cancel(): void {
    this.#epoch++;
  }

  recover(done: (outcome: RecoveryOutcome) => void): void {
    const step = RECOVERY_STEPS[this.#level];
    this.#level = Math.min(this.#level + 1, RECOVERY_STEPS.length - 1);
    this.#counters.increment(`modem.recovery.${step}`);
    this.#modem.transcript.record("note", `recovery: ${step}`);
    this.#modem.forget(`recovery ${step}`);
    const epoch = this.#epoch;
    this.#perform(step, (alive) => {
      if (epoch !== this.#epoch) return;
      if (alive) return done({ recovered: true, step, rebooted: step !== "probe" });
      if (step === "power-cut") {
        this.#counters.increment("modem.recovery.exhausted");
        return done({ recovered: false, step, rebooted: true });
      }
      this.recover(done);
    });
  }

  #perform(step: RecoveryStep, done: (alive: boolean) => void): void {
    const epoch = this.#epoch;
    const later = (run: () => void, ms: number) => this.#timers.set(() => { if (epoch === this.#epoch) run(); }, ms);
    const modem = this.#modem;
    const power = modem.power;
    const confirm = (booted: boolean) => (booted ? modem.probe(3, 200, done) : done(false));
    switch (step) {
      case "probe":
        // A module busy with a network operation can stay deaf for a few seconds.
        return modem.probe(5, 1000, done);
      case "cfun":
        return modem.awaitBoot((abandon) => {
          modem.engine.send({ text: "AT+CFUN=1,1", timeoutMs: TIMEOUTS.cfun }, (result) => {
            if (result.final.kind !== "ok") abandon();
          });
        }, confirm);
      case "power-key":
        return power.pressPowerKey(POWER_TIMING.powerOffPulseMs, () => {
          // A running module needs up to a few seconds to shut down after the off pulse.
          later(() => {
            modem.forget("power-key cycle");
            modem.awaitBoot(() => power.pressPowerKey(POWER_TIMING.powerOnPulseMs, () => undefined), confirm);
          }, 3000);
        });
      case "reset-line":
        return modem.awaitBoot(() => power.pressReset(POWER_TIMING.resetPulseMs, () => undefined), confirm);
      case "power-cut":
        power.setSupply(false);
        later(() => {
          power.setSupply(true);
          later(() => {
            modem.awaitBoot(() => power.pressPowerKey(POWER_TIMING.powerOnPulseMs, () => undefined), confirm);
          }, POWER_TIMING.supplySettleMs);
        }, POWER_TIMING.powerCutMs);
        return;
    }
  }
}
