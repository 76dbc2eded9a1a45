/**
 * Entry point of the logger on the nRF52840 board (creation.main in hosts/nrf52/manifest.json).
 * The text globals are installed by the first import, before any firmware module runs.
 */
import "../moddable/sdk/install-text-globals.js";
import { boot } from "../../modules/main.js";
import { installCrypto } from "../moddable/sdk/install-crypto.js";
import { makeNrf52Platform } from "./nrf52-platform.js";

const platform = makeNrf52Platform();
installCrypto(platform.random);
boot(platform);
