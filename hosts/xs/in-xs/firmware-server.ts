/**
 * Makes a firmware entry point answer the board in Node: installs the worker's `handleCommand`,
 * which boots the firmware on a bridged platform and dispatches timer, IO and BLE deliveries to
 * the current boot's session. An exception escaping the firmware goes back as an error reply, so
 * that the board in Node sees the crash (or power cut) where it happened.
 */
import type { PinMap, Platform, ResetReason } from "../../../modules/platform/platform.js";
import type { BridgeValue } from "../bridge/codec.js";
import { decodeCall, Delivery, encodeReply, expect, replyTo, type Call } from "../bridge/messages.js";
import { BridgedSession, type BootFacts } from "./bridged-platform.js";
import { handleCommands } from "./xs-globals.js";

export type FirmwareEntry = (platform: Platform) => unknown;

export function serveFirmware(firmware: FirmwareEntry): void {
  let session: BridgedSession | undefined;
  const current = (): BridgedSession => {
    if (!session) throw new Error("the board has not booted the firmware yet");
    return session;
  };
  handleCommands((message) => encodeReply(replyTo(() => {
    const call = decodeCall(message);
    switch (call.code) {
      case Delivery.Boot:
        session = new BridgedSession(bootFacts(call));
        firmware(session.platform);
        return;
      case Delivery.TimerFire:
        return current().fireTimer(expect.number(call.args[0], "timer id"));
      case Delivery.IoEvent:
        return current().ioEvent(expect.number(call.args[0], "IO handle"), expect.string(call.args[1], "callback"),
          expect.array(call.args[2], "callback arguments"));
      case Delivery.BleEvent:
        return current().bleEvent(expect.string(call.args[0], "BLE event"), expect.array(call.args[1], "BLE event arguments"));
      default:
        throw new TypeError(`unknown delivery 0x${call.code.toString(16)}`);
    }
  })));
}

function bootFacts(call: Call): BootFacts {
  const flash = expect.record(call.args[2], "flash geometry");
  const pins = expect.record(call.args[3], "pin map");
  return {
    name: expect.string(call.args[0], "platform name"),
    resetReason: expect.string(call.args[1], "reset reason") as ResetReason,
    flash: {
      byteLength: expect.number(flash.byteLength, "flash byteLength"),
      blockSize: expect.number(flash.blockSize, "flash blockSize"),
      writeGranularity: expect.number(flash.writeGranularity, "flash writeGranularity"),
    },
    pins: freezePins(pins),
  };
}

/** The pin map is numbers and lists of numbers, whatever pins the board names. */
function freezePins(pins: Record<string, BridgeValue>): PinMap {
  const frozen: Record<string, number | readonly number[]> = {};
  for (const key of Object.keys(pins)) {
    const value = pins[key];
    frozen[key] = Array.isArray(value)
      ? Object.freeze(expect.array(value, `pins.${key}`).map((pin) => expect.number(pin, `pins.${key}[]`)))
      : expect.number(value, `pins.${key}`);
  }
  return Object.freeze(frozen) as unknown as PinMap;
}
