/**
 * XS side of a bridge request: encode, send through `issueCommand`, and turn an error reply back
 * into an exception of the same class where XS code may test for it with `instanceof`.
 */
import { FlashError } from "../../../modules/platform/flash.js";
import { PowerCut } from "../../sim/nor-flash.js";
import type { BridgeValue } from "../bridge/codec.js";
import { decodeReply, encodeCall } from "../bridge/messages.js";
import { issueCommand } from "./xs-globals.js";

export function callHost(code: number, ...args: BridgeValue[]): BridgeValue {
  const reply = decodeReply(issueCommand(encodeCall(code, args)));
  if (reply.ok) return reply.value;
  throw rebuildError(reply.name, reply.message);
}

function rebuildError(name: string, message: string): Error {
  switch (name) {
    case "PowerCut": return new PowerCut();
    case "FlashError": return new FlashError(message);
    case "RangeError": return new RangeError(message);
    case "TypeError": return new TypeError(message);
    default: {
      const error = new Error(message);
      error.name = name;
      return error;
    }
  }
}
