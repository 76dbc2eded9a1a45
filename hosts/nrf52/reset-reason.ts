/**
 * nRF52's RESETREAS bits (as Moddable's `Sleep.resetReason` returns them) as the platform's
 * reset reasons. Moddable also resets through a software request when the XS machine aborts,
 * so a software reset is a "restart" only when platform.restart() left its mark in retained
 * RAM (retained-time.ts), and a "crash" otherwise. A wake from System OFF counts as "restart":
 * the logger asked for the sleep. No bit set means power-on or brown-out,
 * which the chip does not tell apart.
 */
import type { ResetReason } from "../../modules/platform/platform.js";

export const ResetBits = Object.freeze({
  ResetPin: 1 << 0,
  Watchdog: 1 << 1,
  SoftwareRequest: 1 << 2,
  Lockup: 1 << 3,
  WakeOnGpio: 1 << 16,
  WakeOnComparator: 1 << 17,
  Debugger: 1 << 18,
  WakeOnNfc: 1 << 19,
});

export function nrf52ResetReason(bits: number, restartRequested: boolean): ResetReason {
  if (bits & ResetBits.Watchdog) return "watchdog";
  if (bits & ResetBits.Lockup) return "crash";
  if (bits & ResetBits.SoftwareRequest) return restartRequested ? "restart" : "crash";
  if (bits & (ResetBits.WakeOnGpio | ResetBits.WakeOnComparator | ResetBits.WakeOnNfc | ResetBits.Debugger)) return "restart";
  return "power-on";
}
