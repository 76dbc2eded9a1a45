/**
 * The firmware `datalogger app` boots: the main firmware plus the BLE installer service, until
 * modules/main.ts starts the service itself.
 */
import { startInstallerService } from "../../../modules/ble/installer-service.js";
import { boot } from "../../../modules/main.js";
import type { Firmware } from "../board.js";
import { platformStatusSource } from "./platform-status-source.js";

export const installerFirmware: Firmware = (platform) => {
  boot(platform);
  startInstallerService(platform, platformStatusSource(platform), { deviceName: platform.name });
};
