/**
 * Why a session was dropped. The reason goes to the trace and the health counters only: on the
 * air every failure looks the same (the device disconnects without a word).
 */
export type DropReason =
  | "length"
  | "fragment"
  | "type"
  | "version"
  | "binder"
  | "replay"
  | "point"
  | "confirm"
  | "mac"
  | "sequence"
  | "padding"
  | "message"
  | "state"
  | "timeout";

export class SessionError extends Error {
  constructor(readonly reason: DropReason, message: string) {
    super(message);
    this.name = "SessionError";
  }
}
