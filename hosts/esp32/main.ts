/**
 * Entry point of the logger on the ESP32 board (creation.main in hosts/esp32/manifest.json).
 * The text globals are installed by the first import, before any firmware module runs.
 */
import "../moddable/sdk/install-text-globals.js";
import { boot } from "../../modules/main.js";
import { installCrypto } from "../moddable/sdk/install-crypto.js";
import { makeEsp32Platform } from "./esp32-platform.js";

const platform = makeEsp32Platform();
installCrypto(platform.random);
boot(platform);
