/**
 * Exceptions cross the bridge as a name and a message; each side rebuilds the classes that code
 * tests with `instanceof` (a torn flash operation must still be a PowerCut on the other side).
 */
import { FlashError } from "../../../modules/platform/flash.js";
import { FirmwareSlotError } from "../../../modules/platform/update.js";
import { PowerCut } from "../../sim/nor-flash.js";

export function rebuildError(name: string, message: string): Error {
  switch (name) {
    case "PowerCut": return new PowerCut();
    case "FlashError": return new FlashError(message);
    case "FirmwareSlotError": return new FirmwareSlotError(message);
    case "RangeError": return new RangeError(message);
    case "TypeError": return new TypeError(message);
    default: {
      const error = new Error(message);
      error.name = name;
      return error;
    }
  }
}
