/**
 * The logger firmware as the simulated world runs it: modules/main.ts's composition, with the
 * observation hooks tests and benchmarks use — the parts of each boot (`onBoot`) and every sample
 * on its way into the log (`tap`).
 */
import { startLogger, type Logger, type LoggerOptions } from "../../../modules/main.js";
import type { Firmware } from "../board.js";

export type LoggerParts = Logger;

export interface LoggerFirmwareOptions extends LoggerOptions {
  onBoot?(parts: LoggerParts): void;
}

export function loggerFirmware(options: LoggerFirmwareOptions = {}): Firmware {
  return (platform) => {
    // The simulator's update server signs with the development key.
    const logger = startLogger(platform, { buildFlavour: "development", ...options });
    options.onBoot?.(logger);
  };
}
