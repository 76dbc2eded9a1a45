/**
 * What a boot of an ESP32 image tells about the last trial, decided from ESP-IDF's image states
 * (otadata, read with esp_ota_get_state_partition) and the binding's own record. The IDF with
 * CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE gives a marked image one test boot: its bootloader turns
 * NEW into PENDING_VERIFY and starts it, and turns a PENDING_VERIFY it finds at the next reset
 * into ABORTED and starts the other slot. The record is written right after each IDF step, so a
 * power cut between the two is settled here, at the next boot.
 */
import type { ResetReason } from "../../modules/platform/platform.js";
import type { RollbackCause } from "../../modules/platform/update.js";
import type { TrialRecord } from "./trial-record.js";

/** esp_ota_img_states_t. */
export const OtaImageState = Object.freeze({
  New: 0,
  PendingVerify: 1,
  Valid: 2,
  Invalid: 3,
  Aborted: 4,
  /** Also what the binding reports for a slot otadata says nothing about. */
  Undefined: 0xffffffff,
});

export interface BootFacts {
  runningSlot: number;
  runningState: number;
  /** The state of the other slot (with two OTA slots, the next update partition). */
  otherState: number;
  resetReason: ResetReason;
  /** The running image's security counter. */
  runningCounter: number;
}

export interface BootDecision {
  record: TrialRecord;
  /** The running image is on trial: confirm() or reject() it. */
  testBoot: boolean;
}

/**
 * The reset that ended an aborted test boot is the one this boot reports. The IDF allows a single
 * test boot, so a power loss during it is "boot-attempts" (every allowed attempt lost power).
 */
const CAUSE_OF_RESET: Readonly<Record<ResetReason, RollbackCause>> = Object.freeze({
  crash: "crash",
  watchdog: "watchdog",
  restart: "restart",
  "power-on": "boot-attempts",
  brownout: "boot-attempts",
});

function causeOfRollback(otherState: number, resetReason: ResetReason): RollbackCause {
  if (otherState === OtaImageState.Aborted) return CAUSE_OF_RESET[resetReason];
  if (otherState === OtaImageState.Invalid) return "rejected";
  // Still NEW or PENDING_VERIFY (or anything else): the bootloader could not start the image.
  return "invalid-image";
}

export function reconcileTrial(record: TrialRecord, boot: BootFacts): BootDecision {
  const pendingHere = record.outcome.kind === "pending" && record.slot === boot.runningSlot;
  if (boot.runningState === OtaImageState.PendingVerify) {
    // A mark whose record was cut off still started this trial: count it now.
    const counted = pendingHere ? record : { ...record, mark: record.mark + 1, slot: boot.runningSlot, outcome: { kind: "pending" as const } };
    return { record: counted, testBoot: true };
  }
  let settled = record;
  if (record.outcome.kind === "pending") {
    settled = pendingHere
      ? { ...record, outcome: { kind: "confirmed" } }
      : { ...record, outcome: { kind: "rolled-back", cause: causeOfRollback(boot.otherState, boot.resetReason) } };
  }
  // A confirmed image (or the factory one) runs for good: it is itself the floor's lowest value.
  return { record: { ...settled, floor: Math.max(settled.floor, boot.runningCounter) }, testBoot: false };
}
