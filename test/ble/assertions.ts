/** What every BLE failure test checks afterwards. */
import assert from "node:assert/strict";
import type { LoggerUnderTest, RawCentral } from "./harness.js";

export function assertStillRunning(logger: LoggerUnderTest): void {
  assert.deepEqual(logger.board.crashes, []);
  assert.equal(logger.board.bootCount, 1);
  assert.equal(logger.counters.get("ble.internalErrors"), 0);
}

function drops(logger: LoggerUnderTest): string {
  return logger.board.traceLog.filter((line) => line.startsWith("ble: dropped")).join(" | ") || "no drop";
}

/**
 * The connection is gone, for `reason`, and the service waits for the next one. `silent`: the
 * device sent nothing at all on this connection (it had not authenticated the peer).
 */
export function assertDropped(logger: LoggerUnderTest, central: RawCentral, reason: string, silent: boolean): void {
  logger.run(100);
  assert.equal(central.connected, false, `connection dropped (${drops(logger)})`);
  assert.ok(logger.counters.get(`ble.drop.${reason}`) >= 1, `dropped for ${reason}: ${drops(logger)}`);
  assert.equal(logger.service().state, "advertising");
  if (silent) assert.deepEqual(central.notifications, [], "the device said nothing");
  assertStillRunning(logger);
}
