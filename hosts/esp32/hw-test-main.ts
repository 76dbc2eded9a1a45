/**
 * Entry point of the hardware self-test build for the esp32 board (test/hw/manifest.json sets it
 * as creation.main): the same platform as the logger, the self-tests instead of the firmware.
 */
import "../moddable/sdk/install-text-globals.js";
import { runSelfTests } from "../../test/hw/self-test-runner.js";
import { SELF_TESTS } from "../../test/hw/self-tests.js";
import { installCrypto } from "../moddable/sdk/install-crypto.js";
import { makeEsp32Platform } from "./esp32-platform.js";

const platform = makeEsp32Platform();
installCrypto(platform.random);
platform.trace(`SELFTEST start on ${platform.name}, reset ${platform.resetReason}`);
runSelfTests(platform, SELF_TESTS);
