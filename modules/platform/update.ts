/**
 * The board's firmware slots and bootloader, as the updater sees them (docs/firmware-update.md).
 * Two application slots: the running one and the inactive one, into which an update is written.
 * The bootloader test-boots a newly marked slot once; the firmware then confirms it (it becomes
 * the running image for good) or rejects it, and any reset before that returns to the old slot.
 * None of this touches the data log partition or the key-value storage.
 */
import type { Flash } from "./flash.js";

/** The image the bootloader started. */
export interface RunningImage {
  /** "major.minor.patch". */
  readonly version: string;
  readonly securityCounter: number;
  /** Hardware model the image is built for; the bootloader only starts images for its board. */
  readonly model: string;
  /** Started for a trial: the firmware must confirm() or reject() it. */
  readonly testBoot: boolean;
}

/**
 * Why the bootloader went back to the previous image instead of a test-booted one:
 * - "crash" / "watchdog" / "restart": the test image reset before it confirmed;
 * - "boot-attempts": power failed during every allowed test boot;
 * - "rejected": the test image failed its self-check and said so;
 * - "invalid-image": the slot no longer held a bootable image.
 */
export type RollbackCause = "crash" | "watchdog" | "restart" | "boot-attempts" | "rejected" | "invalid-image";

export type TrialOutcome =
  | { readonly kind: "none" }
  | { readonly kind: "pending" }
  | { readonly kind: "confirmed" }
  | { readonly kind: "rolled-back"; readonly cause: RollbackCause };

/**
 * The fate of the image marked bootable last. `mark` counts markBootable calls over the board's
 * life (0: never), so the updater can tell whether its own mark happened before a reset.
 */
export interface Trial {
  readonly mark: number;
  readonly outcome: TrialOutcome;
}

/** What the updater claims a slot holds; markBootable refuses a slot that holds anything else. */
export interface ExpectedImage {
  readonly byteLength: number;
  readonly version: string;
  readonly securityCounter: number;
}

export interface FirmwareSlots {
  running(): RunningImage;
  lastTrial(): Trial;
  /** Lowest security counter the bootloader still starts; raised when an image is confirmed. */
  securityFloor(): number;
  /** Bytes an image may occupy in a slot. */
  readonly slotBytes: number;
  /** The slot that is not running. Throws during a test boot: it then holds the fallback image. */
  inactiveSlot(): Flash;
  /** A small area (two or more erase blocks) for the updater's own records, apart from log and storage. */
  readonly journal: Flash;
  /**
   * Makes the inactive slot the one to test-boot at the next reset and starts a new trial (mark + 1).
   * Throws FirmwareSlotError when the slot does not hold a valid image for this board that matches
   * `expected`, or during a test boot.
   */
  markBootable(expected: ExpectedImage): void;
  /** The running test image passed its self-check: it stays, and the security floor rises to its counter. Throws outside a test boot. */
  confirm(): void;
  /** The running test image failed its self-check: the next reset starts the previous image. Throws outside a test boot. */
  reject(): void;
}

export class FirmwareSlotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FirmwareSlotError";
  }
}
