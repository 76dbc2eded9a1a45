/**
 * The simulated board's bootloader and firmware flash (docs/firmware-update.md "Simulated
 * bootloader"): a NorFlash of its own, apart from the data log's, with the boot state, the
 * updater's journal and two application slots. At every boot it picks the image to start: the
 * pending one for a test boot, the confirmed one otherwise, going back when a test boot ended in a
 * reset before its confirmation or when an image fails its digest, model or security-counter check.
 */
import type { ResetReason } from "../../../modules/platform/platform.js";
import {
  FirmwareSlotError, type ExpectedImage, type FirmwareSlots, type RollbackCause, type RunningImage,
} from "../../../modules/platform/update.js";
import { FIRMWARE_VERSION, HARDWARE_MODEL } from "../../../modules/version.js";
import { NorFlash } from "../nor-flash.js";
import { SeededRandom } from "../seeded-random.js";
import { BootStateStore, NO_SLOT, type BootState } from "./boot-state.js";
import { FlashRegion } from "./flash-region.js";
import { decodeSimImage, encodeSimImage, HEADER_PROBE_BYTES, probeImageLength, type SimImage } from "./sim-image.js";

/** Blocks of the firmware flash: boot state, journal, then the two slots. */
const STATE_BLOCKS = 2;
const JOURNAL_BLOCKS = 2;
export const DEFAULT_SLOT_BLOCKS = 16;
/** Test boots allowed when each one ends in a power loss (not the image's fault). */
export const MAX_TEST_BOOTS = 3;

export interface SimBootloaderOptions {
  /** The firmware flash; a blank one is made (and factory-programmed) when absent. */
  flash?: NorFlash;
  slotBlocks?: number;
  /** The board's hardware model. */
  model?: string;
  /** What the factory writes into slot 0 of a blank flash. */
  factoryImage?: Uint8Array;
  /** Seeds the torn-write model of a flash made here. */
  seed?: string;
}

/** The image the board runs now, for the simulated firmware (its test behaviour). */
export interface BootedImage {
  slot: number;
  image: SimImage;
}

export function factoryImage(model: string = HARDWARE_MODEL): Uint8Array {
  return encodeSimImage({
    version: FIRMWARE_VERSION, securityCounter: 1, model, behaviour: 0,
    payload: Uint8Array.from("factory image", (c) => c.charCodeAt(0)),
  });
}

function causeOf(reason: ResetReason): RollbackCause {
  switch (reason) {
    case "crash": return "crash";
    case "watchdog": return "watchdog";
    case "restart": return "restart";
    default: return "boot-attempts";
  }
}

export class SimBootloader {
  readonly flash: NorFlash;
  readonly model: string;
  readonly slotBytes: number;
  readonly journal: FlashRegion;
  readonly #slots: readonly FlashRegion[];
  readonly #state: BootStateStore;
  #booted: BootedImage | undefined;

  constructor(options: SimBootloaderOptions = {}) {
    const slotBlocks = options.slotBlocks ?? DEFAULT_SLOT_BLOCKS;
    const blocks = STATE_BLOCKS + JOURNAL_BLOCKS + 2 * slotBlocks;
    this.flash = options.flash ?? new NorFlash({ blocks, random: new SeededRandom(options.seed ?? "firmware-flash") });
    if (this.flash.byteLength < blocks * this.flash.blockSize) throw new RangeError(`firmware flash needs ${blocks} blocks`);
    this.model = options.model ?? HARDWARE_MODEL;
    this.#state = new BootStateStore(new FlashRegion(this.flash, 0, STATE_BLOCKS));
    this.journal = new FlashRegion(this.flash, STATE_BLOCKS, JOURNAL_BLOCKS);
    const firstSlot = STATE_BLOCKS + JOURNAL_BLOCKS;
    this.#slots = [new FlashRegion(this.flash, firstSlot, slotBlocks), new FlashRegion(this.flash, firstSlot + slotBlocks, slotBlocks)];
    this.slotBytes = this.#slots[0].byteLength;
    if (!this.#state.read()) this.#program(options.factoryImage ?? factoryImage(this.model));
  }

  /** The image started by the last boot, undefined when none could be. */
  get booted(): BootedImage | undefined {
    return this.#booted;
  }

  /** A slot as flash, for tests that inspect or damage it. */
  slot(index: number): FlashRegion {
    return this.#slots[index];
  }

  /** The factory writes an image into slot 0 and a fresh boot state. */
  #program(image: Uint8Array): void {
    const decoded = decodeSimImage(image);
    const slot = this.#slots[0];
    if (image.length > slot.byteLength) throw new RangeError("factory image does not fit a slot");
    for (let block = 0; block < Math.ceil(image.length / slot.blockSize); block++) slot.erase(block);
    const unit = slot.writeGranularity;
    const padded = new Uint8Array(Math.ceil(image.length / unit) * unit).fill(0xff);
    padded.set(image);
    slot.write(0, padded);
    this.#state.write({
      seq: 0, active: 0, pending: NO_SLOT, attempts: 0, mark: 0, outcome: { kind: "none" }, securityFloor: decoded.securityCounter,
    });
  }

  /**
   * Runs at every reset: chooses and checks the image, returns the firmware's view of the slots,
   * or undefined when no slot holds an image this board may start (the board stays dark).
   */
  boot(reason: ResetReason): FirmwareSlots | undefined {
    this.#booted = undefined;
    let state = this.#state.read();
    if (!state) return undefined;
    let testBoot = false;
    if (state.pending !== NO_SLOT) {
      const powerLoss = reason === "power-on" || reason === "brownout";
      if (state.attempts === 0 || (powerLoss && state.attempts < MAX_TEST_BOOTS)) {
        state = this.#state.write({ ...state, attempts: state.attempts + 1 });
        testBoot = true;
      } else {
        state = this.#rollBack(state, causeOf(reason));
      }
    }
    let slot = testBoot ? state.pending : state.active;
    let image = this.#validImage(slot, state.securityFloor);
    if (!image && testBoot) {
      state = this.#rollBack(state, "invalid-image");
      testBoot = false;
      slot = state.active;
      image = this.#validImage(slot, state.securityFloor);
    }
    if (!image) {
      const other = 1 - slot;
      image = this.#validImage(other, state.securityFloor);
      if (!image) return undefined;
      slot = other;
      state = this.#state.write({ ...state, active: other });
    }
    this.#booted = { slot, image };
    return this.#firmwareSlots(slot, image, testBoot);
  }

  #rollBack(state: BootState, cause: RollbackCause): BootState {
    return this.#state.write({ ...state, pending: NO_SLOT, attempts: 0, outcome: { kind: "rolled-back", cause } });
  }

  /** The image in `slot` if it is intact, for this board, and not below the security floor. */
  #validImage(slot: number, floor: number): SimImage | undefined {
    const region = this.#slots[slot];
    const length = probeImageLength(region.read(0, HEADER_PROBE_BYTES));
    if (length === undefined || length > region.byteLength) return undefined;
    let image: SimImage;
    try {
      image = decodeSimImage(region.read(0, length));
    } catch {
      return undefined;
    }
    return image.model === this.model && image.securityCounter >= floor ? image : undefined;
  }

  #firmwareSlots(slot: number, image: SimImage, testBoot: boolean): FirmwareSlots {
    const store = this.#state;
    const current = (): BootState => {
      const state = store.read();
      if (!state) throw new FirmwareSlotError("boot state lost");
      return state;
    };
    const onTrial = () => testBoot && current().pending === slot;
    const inactive = this.#slots[1 - slot];
    const requireTrial = (what: string) => {
      if (!onTrial()) throw new FirmwareSlotError(`${what}: the running image is not on trial`);
    };
    return {
      slotBytes: this.slotBytes,
      journal: this.journal,
      running: (): RunningImage => ({
        version: image.version, securityCounter: image.securityCounter, model: image.model, testBoot: onTrial(),
      }),
      lastTrial: () => {
        const state = current();
        return { mark: state.mark, outcome: state.outcome };
      },
      securityFloor: () => current().securityFloor,
      inactiveSlot: () => {
        if (onTrial()) throw new FirmwareSlotError("the inactive slot holds the fallback image during a test boot");
        return inactive;
      },
      markBootable: (expected: ExpectedImage) => {
        if (onTrial()) throw new FirmwareSlotError("cannot mark a slot during a test boot");
        const state = current();
        const candidate = this.#validImage(1 - slot, state.securityFloor);
        if (!candidate) throw new FirmwareSlotError("the inactive slot holds no bootable image for this board");
        const length = probeImageLength(inactive.read(0, HEADER_PROBE_BYTES));
        if (length !== expected.byteLength || candidate.version !== expected.version ||
            candidate.securityCounter !== expected.securityCounter) {
          throw new FirmwareSlotError(`the slot holds ${candidate.version} (counter ${candidate.securityCounter}, ${length} bytes), ` +
            `not ${expected.version} (counter ${expected.securityCounter}, ${expected.byteLength} bytes)`);
        }
        store.write({ ...state, pending: 1 - slot, attempts: 0, mark: state.mark + 1, outcome: { kind: "pending" } });
      },
      confirm: () => {
        requireTrial("confirm");
        const state = current();
        store.write({
          ...state, active: slot, pending: NO_SLOT, attempts: 0, outcome: { kind: "confirmed" },
          securityFloor: Math.max(state.securityFloor, image.securityCounter),
        });
      },
      reject: () => {
        requireTrial("reject");
        this.#rollBack(current(), "rejected");
      },
    };
  }
}
