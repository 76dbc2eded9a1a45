/**
 * The requests every XS bundle may make whatever it runs against: the prelude's console and
 * CSPRNG (docs/xs-host.md). Hosts that bridge a board answer these from the board instead.
 */
import { webcrypto } from "node:crypto";
import { answerRequest, errorReply, expect, replyTo, Request, type Call, type Reply } from "./bridge/messages.js";

export interface HostServices {
  log(level: string, text: string): void;
  /** Fills `bytes` from a CSPRNG. */
  random(bytes: Uint8Array): void;
}

export const nodeServices = (onLog: (level: string, text: string) => void): HostServices => ({
  log: onLog,
  random: (bytes) => { webcrypto.getRandomValues(bytes); },
});

/** Answers a prelude request, or returns undefined for any other request. */
export function answerService(call: Call, services: HostServices): Reply | undefined {
  switch (call.code) {
    case Request.Log:
      return replyTo(() => services.log(expect.string(call.args[0], "log level"), expect.string(call.args[1], "log text")));
    case Request.Random:
      return replyTo(() => {
        const bytes = new Uint8Array(expect.number(call.args[0], "random byte count"));
        services.random(bytes);
        return bytes;
      });
    default:
      return undefined;
  }
}

/** A query handler for workers that only need the prelude's services (tests, measurements). */
export function servicesQueryHandler(services: HostServices): (request: Uint8Array) => Uint8Array {
  return (request) => answerRequest(request, (call) => answerService(call, services) ?? errorReply(
    new Error(`request 0x${call.code.toString(16)} needs a bridged board; this host has none`)));
}
