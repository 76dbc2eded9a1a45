/**
 * Makes a firmware entry point answer the board in Node: installs the worker's `handleCommand`,
 * which boots the firmware on a bridged platform and dispatches timer, IO and BLE deliveries to
 * the current boot's session. An exception escaping the firmware goes back as an error reply, so
 * that the board in Node sees the crash (or power cut) where it happened.
 */
import type { PinMap, Platform, ResetReason } from "../../../modules/platform/platform.js";
import type { BridgeValue } from "../bridge/codec.js";
import { decodeCall, Delivery, encodeReply, expect, replyTo } from "../bridge/messages.js";
import { BridgedSession, geometryOf, type BootFacts } from "./bridged-platform.js";
import { handleCommands } from "./xs-globals.js";

export type FirmwareEntry = (platform: Platform) => unknown;

export function serveFirmware(firmware: FirmwareEntry): void {
  // Earlier boots stay addressable: the board decides which of their callbacks still run, as it
  // does for a native firmware, and Node says when it can no longer reach one (Forget).
  const sessions = new Map<number, BridgedSession>();
  const sessionOf = (value: BridgeValue): BridgedSession => {
    const session = sessions.get(expect.number(value, "session"));
    if (!session) throw new Error(`no firmware session ${String(value)}`);
    return session;
  };
  handleCommands((message) => encodeReply(replyTo(() => {
    const { code, args } = decodeCall(message);
    switch (code) {
      case Delivery.Boot: {
        const session = new BridgedSession(bootFacts(args));
        sessions.set(expect.number(args[0], "session"), session);
        firmware(session.platform);
        return;
      }
      case Delivery.TimerFire:
        return sessionOf(args[0]).fireTimer(expect.number(args[1], "timer id"));
      case Delivery.IoEvent:
        return sessionOf(args[0]).ioEvent(expect.number(args[1], "IO handle"), expect.string(args[2], "callback"),
          expect.array(args[3], "callback arguments"));
      case Delivery.BleEvent:
        return sessionOf(args[0]).bleEvent(expect.string(args[1], "BLE event"), expect.array(args[2], "BLE event arguments"));
      case Delivery.Forget:
        for (const session of expect.array(args[0], "sessions")) sessions.delete(expect.number(session, "session"));
        return;
      default:
        throw new TypeError(`unknown delivery 0x${code.toString(16)}`);
    }
  })));
}

function bootFacts(args: readonly BridgeValue[]): BootFacts {
  const pins = expect.record(args[4], "pin map");
  const update = expect.record(args[5], "slots facts");
  return {
    name: expect.string(args[1], "platform name"),
    resetReason: expect.string(args[2], "reset reason") as ResetReason,
    flash: geometryOf(args[3], "flash"),
    pins: freezePins(pins),
    update: { slotBytes: expect.number(update.slotBytes, "slotBytes"), journal: geometryOf(update.journal, "journal") },
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
