/**
 * The nRF52840 board's platform: the shared Moddable bindings plus what only the nRF52 needs.
 * - Random: the chip's RNG through a small C function (native/hardware-random.c, via XS FFI),
 *   never Moddable's `c_rand`, which is libc `rand()` with no seed. `rand()` is still seeded
 *   from the hardware here, so that SDK code using it (Math.random) differs between boots.
 * - Reset: `nrf52_reboot(0)` (xsHost.c, through FFI) after leaving a mark in retained RAM,
 *   which tells the next boot it was a requested restart and what time it was.
 * - Deep sleep: Moddable's `sleep` module (release builds only; a debug build logs and returns).
 * - Firmware slots: none the application can drive (NRF52_NO_SLOTS), so no updater is built.
 */
import FFI from "mc/ffi";
import Sleep from "sleep";
import Time from "time";
import { NRF52_KEY_VALUE_LIMITS } from "../moddable/key-value.js";
import { PLAUSIBLE_EPOCH_MS } from "../moddable/device-clock.js";
import { makeBoardPlatform, type BoardPlatform } from "../moddable/sdk/board-platform.js";
import { BUILD_IMAGE, unavailableFirmwareSlots } from "../moddable/unavailable-firmware-slots.js";
import { LOG_PARTITION, NRF52_BOARD, NRF52_NO_SLOTS, UART_TX_BYTES } from "./board.js";
import { checkNrf52Framing } from "./framing.js";
import { nrf52ResetReason } from "./reset-reason.js";
import { leaveRestartMark, takeRestartMark, type RetainedSlots } from "./retained-time.js";

/** The functions hosts/nrf52/manifest.json declares under ffi.functions. */
interface Nrf52Natives {
  dl_hardware_random(buffer: ArrayBuffer, offset: number, length: number): number;
  nrf52_get_mac(mac: ArrayBuffer): void;
  nrf52_reboot(kind: number): void;
  srand(seed: number): void;
}

export function makeNrf52Platform(): BoardPlatform {
  const natives = new FFI() as unknown as Nrf52Natives;
  const slots: RetainedSlots = {
    get: (index) => Sleep.getRetainedValue(index),
    set: (index, value) => Sleep.setRetainedValue(index, value),
  };
  const savedSeconds = takeRestartMark(slots);
  if (savedSeconds !== undefined && Date.now() < PLAUSIBLE_EPOCH_MS) Time.set(savedSeconds);

  const entropy = {
    take(bytes: Uint8Array): number {
      const buffer = new ArrayBuffer(bytes.length);
      const count = natives.dl_hardware_random(buffer, 0, bytes.length);
      bytes.set(new Uint8Array(buffer, 0, count));
      return count;
    },
  };
  const mac = new ArrayBuffer(6);
  natives.nrf52_get_mac(mac);
  const platform = makeBoardPlatform(NRF52_BOARD, {
    name: "nrf52",
    logPartition: LOG_PARTITION,
    // NVMC programs whole 32-bit words, at most twice between erases (nRF52840 n_WRITE).
    flash: { writeGranularity: 4, erasedReadsAsOnes: true },
    keyValueLimits: NRF52_KEY_VALUE_LIMITS,
    entropy,
    deviceId: new Uint8Array(mac),
    resetReason: nrf52ResetReason(Sleep.resetReason, savedSeconds !== undefined),
    checkFraming: checkNrf52Framing,
    uartTxCapacity: UART_TX_BYTES,
    restart: (epochMs) => {
      leaveRestartMark(slots, epochMs);
      natives.nrf52_reboot(0);
    },
    deepSleep: (ms) => Sleep.deep(ms),
    update: unavailableFirmwareSlots(BUILD_IMAGE, NRF52_NO_SLOTS),
  });
  const seed = platform.random.getRandomValues(new Uint8Array(4));
  natives.srand(new DataView(seed.buffer).getUint32(0));
  return platform;
}
