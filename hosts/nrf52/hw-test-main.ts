/**
 * Entry point of the hardware self-test build for the nrf52 board (test/hw/manifest.json sets it
 * as creation.main): the same platform as the logger, the self-tests instead of the firmware.
 */
import "../moddable/sdk/install-text-globals.js";
import { runSelfTests } from "../../test/hw/self-test-runner.js";
import { SELF_TESTS } from "../../test/hw/self-tests.js";
import { installCrypto } from "../moddable/sdk/install-crypto.js";
import { makeNrf52Platform } from "./nrf52-platform.js";

const platform = makeNrf52Platform();
installCrypto(platform.random);
platform.trace(`SELFTEST start on ${platform.name}, reset ${platform.resetReason}`);
runSelfTests(platform, SELF_TESTS);
