/**
 * A command with the retries SDI-12 requires of a recorder (v1.3 §5.2): on silence or an invalid
 * answer, retry without a break within 87 ms, at least twice, one retry more than 100 ms after
 * the break; if that fails, run the whole sequence (break and retries) again, at least twice.
 */
import type { Clock, Timers } from "../../modules/platform/clock.js";
import { type Outcome, unanswered } from "../serial-port/measure-result.js";
import { checkCount } from "../serial-port/port-settings.js";
import type { Sdi12Link, WakeMode } from "./link.js";
import type { Parsed } from "../serial-port/parsed.js";
import { responseText } from "./responses.js";
import { SENSOR_WAKE_MS } from "./timing.js";

export interface RetryPolicy {
  /** Retries without a break after each try with one (the specification asks at least 2). */
  retries: number;
  /** How many times the sequence of break, try and retries runs (the first and at least 2 more). */
  sequences: number;
}

export const SDI12_RETRY: Readonly<RetryPolicy> = Object.freeze({ retries: 2, sequences: 3 });

export function checkRetryPolicy(policy: RetryPolicy): string | undefined {
  return checkCount("retries", policy.retries, 0, 5) ?? checkCount("sequences", policy.sequences, 1, 5);
}

export interface TransactionContext {
  link: Sdi12Link;
  timers: Timers;
  clock: Clock;
  /** Called before each retry, for the health counters. */
  onRetry(): void;
}

export interface TransactionOptions<T> {
  command: string;
  /** The address the answer must come from (for "?!", whichever answers). */
  address: string;
  parse: (text: string) => Parsed<T>;
  policy: RetryPolicy;
  /** How the first try wakes the sensor: "auto" lets D0 follow a service request without a break. */
  firstWake?: WakeMode;
}

export function transact<T>(context: TransactionContext, options: TransactionOptions<T>, done: (outcome: Outcome<T>) => void): void {
  const { link, timers, clock } = context;
  const { policy } = options;
  let sequence = 0;
  let attempt = 0;
  let lastInvalid: string | undefined;

  const tryOnce = () => {
    const wake: WakeMode = attempt > 0 ? "auto" : sequence === 0 ? options.firstWake ?? "auto" : "break";
    link.exchange(options.command, options.address, wake, (result) => {
      if (result.kind === "line") {
        const text = responseText(result.bytes);
        const parsed = text.ok ? options.parse(text.value) : text;
        if (parsed.ok) {
          done({ ok: true, value: parsed.value });
          return;
        }
        lastInvalid = parsed.error;
      } else if (result.kind === "garbled") {
        lastInvalid = result.reason;
      }
      next();
    });
  };

  const next = () => {
    attempt++;
    if (attempt > policy.retries) {
      attempt = 0;
      sequence++;
    }
    if (sequence >= policy.sequences) {
      done(giveUp());
      return;
    }
    context.onRetry();
    // The last retry of a sequence comes more than 100 ms after the break: the sensor's wake time.
    const wait = attempt === policy.retries && attempt > 0 ? link.breakEndedAt + SENSOR_WAKE_MS + 1 - clock.monotonic() : 0;
    if (wait > 0) timers.set(tryOnce, Math.ceil(wait));
    else tryOnce();
  };

  const giveUp = (): Outcome<T> =>
    unanswered(options.command, policy.sequences * (policy.retries + 1), lastInvalid, link.lineErrorsSinceClean);

  tryOnce();
}
