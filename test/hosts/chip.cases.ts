/**
 * What differs between the chips and is decided in JavaScript: reset reasons from ESP-IDF codes
 * and nRF52 RESETREAS bits, and which framings each native UART takes.
 */
import { checkEsp32Framing } from "../../hosts/esp32/framing.js";
import { esp32ResetReason } from "../../hosts/esp32/reset-reason.js";
import { checkNrf52Framing } from "../../hosts/nrf52/framing.js";
import { nrf52ResetReason, ResetBits } from "../../hosts/nrf52/reset-reason.js";
import { unavailableFirmwareSlots } from "../../hosts/moddable/unavailable-firmware-slots.js";
import { NRF52_NO_SLOTS } from "../../hosts/nrf52/board.js";
import { FirmwareSlotError } from "../../modules/platform/update.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";

const framing = (baud: number, dataBits: 7 | 8, parity: "none" | "even" | "odd", stopBits: 1 | 2 = 1) => ({ baud, dataBits, parity, stopBits });

export const cases: TestCase[] = [
  {
    name: "ESP32 reset reasons: software restart, panic, the three watchdogs, brown-out, deep-sleep wake",
    run() {
      // esp_reset_reason_t values from ESP-IDF's esp_system.h.
      deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15].map(esp32ResetReason), [
        "power-on", "power-on", "power-on", "restart", "crash", "watchdog", "watchdog", "watchdog", "restart", "brownout",
        "power-on", "brownout", "crash",
      ]);
    },
  },
  {
    name: "nRF52 reset reasons: a software reset is a restart only with the restart mark, otherwise an XS abort",
    run() {
      equal(nrf52ResetReason(0, false), "power-on");
      equal(nrf52ResetReason(ResetBits.ResetPin, false), "power-on");
      equal(nrf52ResetReason(ResetBits.SoftwareRequest, true), "restart");
      equal(nrf52ResetReason(ResetBits.SoftwareRequest, false), "crash");
      equal(nrf52ResetReason(ResetBits.Watchdog | ResetBits.SoftwareRequest, true), "watchdog");
      equal(nrf52ResetReason(ResetBits.Lockup, false), "crash");
      equal(nrf52ResetReason(ResetBits.WakeOnGpio, false), "restart");
    },
  },
  {
    name: "ESP32 native UARTs frame 8N1 only; nRF52 also 7E1/7O1 at its listed rates, one stop bit",
    run() {
      equal(checkEsp32Framing(framing(115200, 8, "none")), undefined);
      for (const bad of [framing(1200, 7, "even"), framing(9600, 8, "even"), framing(9600, 8, "none", 2)]) {
        ok(checkEsp32Framing(bad), `ESP32 refuses ${JSON.stringify(bad)}`);
      }
      equal(checkNrf52Framing(framing(1200, 7, "even")), undefined);
      equal(checkNrf52Framing(framing(1200, 7, "odd")), undefined);
      equal(checkNrf52Framing(framing(115200, 8, "none")), undefined);
      ok(/baud only/.test(checkNrf52Framing(framing(300, 8, "none")) ?? ""), "300 baud refused");
      ok(/8N1, 7E1 or 7O1/.test(checkNrf52Framing(framing(9600, 8, "even")) ?? ""), "8E1 refused");
      ok(/one stop bit/.test(checkNrf52Framing(framing(9600, 8, "none", 2)) ?? ""), "two stop bits refused");
    },
  },
  {
    name: "a board without usable slots (nRF52) reports the running image, no slot bytes, and refuses every update step with the reason",
    run() {
      const image = { version: "1.2.3", securityCounter: 4, model: "DL-1", testBoot: false };
      const slots = unavailableFirmwareSlots(image, NRF52_NO_SLOTS);
      deepEqual(slots.running(), image);
      deepEqual(slots.lastTrial(), { mark: 0, outcome: { kind: "none" } });
      equal(slots.securityFloor(), 4);
      equal(slots.slotBytes, 0, "so that no updater is built");
      throws(() => slots.inactiveSlot(), FirmwareSlotError);
      throws(() => slots.markBootable({ byteLength: 1, version: "1.2.4", securityCounter: 4 }), /unavailable: nRF52: Moddable's UF2 bootloader/);
      throws(() => slots.confirm(), FirmwareSlotError);
      throws(() => slots.reject(), FirmwareSlotError);
      throws(() => slots.journal.read(0, 4), FirmwareSlotError);
    },
  },
];
