/**
 * Runs the simulated firmware as the booted image would: an image built to crash does so at
 * start, one built to hang never gets anywhere until the board's watchdog restarts it, and one
 * built to fail its self-check starts normally but tells the application so.
 */
import type { Platform } from "../../../modules/platform/platform.js";
import type { Firmware } from "../board.js";
import type { SimBootloader } from "./sim-bootloader.js";
import { ImageBehaviour } from "./sim-image.js";

/** How long a hung image runs before the watchdog resets the board (as a restart). */
export const SIM_WATCHDOG_MS = 30_000;

export interface SimImageRun {
  version: string;
  /** The image is built so that its self-check fails. */
  selfCheckFails: boolean;
}

export function imageFirmware(bootloader: SimBootloader, app: (platform: Platform, run: SimImageRun) => void): Firmware {
  return (platform) => {
    const booted = bootloader.booted;
    if (!booted) throw new Error("the firmware runs without a booted image");
    const { behaviour, version } = booted.image;
    if (behaviour & ImageBehaviour.CrashAtBoot) throw new Error(`image ${version} crashes at boot`);
    if (behaviour & ImageBehaviour.Hang) {
      platform.timers.set(() => platform.restart("watchdog: the firmware stopped making progress"), SIM_WATCHDOG_MS);
      return;
    }
    app(platform, { version, selfCheckFails: (behaviour & ImageBehaviour.FailSelfCheck) !== 0 });
  };
}
