/**
 * Runs hardware self-tests one after the other on a real board and prints one line per test on
 * the console (xsbug, or the serial console of a release build):
 *
 *   PASS flash-scratch-block erase/program/verify of block 255
 *   FAIL modem-at no "OK" within 20000 ms
 *   SKIP serial-loopback-rs232 no loopback jumper
 *   SELFTEST 9 passed, 1 failed, 1 skipped
 *
 * Callbacks only (no promises), like the firmware. A test that never calls `done` fails at its
 * timeout; a test that throws fails with the exception.
 */
import type { Platform, TimerHandle } from "../../modules/platform/platform.js";

export type SelfTestOutcome = "PASS" | "FAIL" | "SKIP";

export interface SelfTestResult {
  outcome: SelfTestOutcome;
  detail: string;
}

export interface SelfTest {
  readonly name: string;
  /** Milliseconds before a test that has not called `done` fails. */
  readonly timeoutMs: number;
  run(platform: Platform, done: (result: SelfTestResult) => void): void;
}

export const pass = (detail: string): SelfTestResult => ({ outcome: "PASS", detail });
export const fail = (detail: string): SelfTestResult => ({ outcome: "FAIL", detail });
export const skip = (detail: string): SelfTestResult => ({ outcome: "SKIP", detail });

export interface SelfTestSummary {
  passed: number;
  failed: number;
  skipped: number;
}

export function runSelfTests(
  platform: Platform,
  tests: readonly SelfTest[],
  finished: (summary: SelfTestSummary) => void = () => undefined,
): void {
  const summary: SelfTestSummary = { passed: 0, failed: 0, skipped: 0 };
  const next = (index: number): void => {
    if (index >= tests.length) {
      platform.trace(`SELFTEST ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
      finished(summary);
      return;
    }
    const test = tests[index];
    let settled = false;
    const done = (result: SelfTestResult) => {
      if (settled) return;
      settled = true;
      platform.timers.clear(timeout);
      if (result.outcome === "PASS") summary.passed++;
      else if (result.outcome === "FAIL") summary.failed++;
      else summary.skipped++;
      platform.trace(`${result.outcome} ${test.name}${result.detail ? ` ${result.detail}` : ""}`);
      // Next test from a fresh timer callback, so that one test's stack never carries the next.
      platform.timers.set(() => next(index + 1), 0);
    };
    const timeout: TimerHandle = platform.timers.set(() => done(fail(`no result within ${test.timeoutMs} ms`)), test.timeoutMs);
    try {
      test.run(platform, done);
    } catch (error) {
      done(fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
    }
  };
  next(0);
}
