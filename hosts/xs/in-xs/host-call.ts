/** XS side of a bridge request: encode, send through `issueCommand`, rethrow an error reply. */
import type { BridgeValue } from "../bridge/codec.js";
import { rebuildError } from "../bridge/errors.js";
import { decodeReply, encodeCall } from "../bridge/messages.js";
import { issueCommand } from "./xs-globals.js";

export function callHost(code: number, ...args: BridgeValue[]): BridgeValue {
  const reply = decodeReply(issueCommand(encodeCall(code, args)));
  if (reply.ok) return reply.value;
  throw rebuildError(reply.name, reply.message);
}
