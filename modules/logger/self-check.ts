/**
 * The check a new firmware image must pass before it is confirmed (modules/ota): its sensors
 * were read (a sample without a fault was logged) and the server was reached (a transmission
 * succeeded, which needs the modem attached). It waits for both; a failed session is not a
 * failure yet, since coverage comes and goes: the updater's deadline decides when waiting ends.
 */
import type { SelfCheck } from "../ota/ota-agent.js";
import { SampleFlag, type Sample } from "../records/sample.js";
import type { TransmissionEvent } from "../uplink/uplink-agent.js";

export class LoggerSelfCheck implements SelfCheck {
  #sensorsRead = false;
  #serverReached = false;
  #waiting: Array<(failure?: string) => void> = [];

  onSample(sample: Sample): void {
    if (this.#sensorsRead || sample.flags & SampleFlag.Fault) return;
    this.#sensorsRead = true;
    this.#settle();
  }

  onTransmission(event: TransmissionEvent): void {
    if (this.#serverReached || !event.ok) return;
    this.#serverReached = true;
    this.#settle();
  }

  run(done: (failure?: string) => void): void {
    this.#waiting.push(done);
    this.#settle();
  }

  /** What is still missing, for the trace when the updater gives up. */
  get missing(): string[] {
    const missing: string[] = [];
    if (!this.#sensorsRead) missing.push("no sensor read without a fault");
    if (!this.#serverReached) missing.push("server not reached");
    return missing;
  }

  #settle(): void {
    if (!this.#sensorsRead || !this.#serverReached) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const done of waiting) done();
  }
}
