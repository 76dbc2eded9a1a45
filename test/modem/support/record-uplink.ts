/**
 * A minimal uplink for the tests: it keeps each record until the broker has acknowledged it,
 * retries after any failure, and reconnects when the session has ended. "Without losing a
 * record" is then: every record reached the broker (duplicates are allowed: QoS 1).
 */
import type { ModemError } from "../../../drivers/modem/bg9x/modem-error.js";
import type { ModemSessionConfig } from "../../../drivers/modem/session/session-config.js";
import { ok } from "../../support/assert.js";
import type { ModemWorld } from "./modem-world.js";
import { text } from "./modem-world.js";

export const SAMPLE_TOPIC = "up/logger-0042/samples";

export class RecordUplink {
  readonly failures: string[] = [];
  #index = 0;

  constructor(readonly world: ModemWorld, readonly config: ModemSessionConfig, readonly records: readonly string[]) {}

  get finished(): boolean {
    return this.#index === this.records.length;
  }

  start(): void {
    this.#next();
  }

  #next(): void {
    if (this.finished) return;
    const session = this.world.session;
    if (session.state === "off") {
      session.connect(this.config, (error) => (error ? this.#retry(error) : this.#next()));
      return;
    }
    session.publish(SAMPLE_TOPIC, text(this.records[this.#index]), (error) => {
      if (error) return this.#retry(error);
      this.#index++;
      this.#next();
    });
  }

  #retry(error: ModemError): void {
    this.failures.push(error.kind);
    this.world.board.scheduler.after(1000, () => this.#next());
  }
}

/** Every record reached the broker at least once. */
export function assertAllDelivered(world: ModemWorld, records: readonly string[]): void {
  const seen = new Set(world.broker.received.map((m) => String.fromCharCode(...m.payload)));
  const missing = records.filter((r) => !seen.has(r));
  ok(missing.length === 0, `records lost: ${missing.join(", ")}`);
}

export function records(count: number, prefix = "rec"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}
