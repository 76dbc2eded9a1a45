/** Why a modem operation failed, in terms the session and the uplink can act on. */
import type { AtResult } from "../at/at-command.js";

export type ModemErrorKind =
  /** The modem did not answer in time: the recovery ladder's business. */
  | "timeout"
  /** The modem answered ERROR / +CME ERROR to a command. */
  | "rejected"
  | "aborted"
  | "no-sim"
  | "sim-locked"
  | "registration-denied"
  | "no-coverage"
  | "pdp-failed"
  | "upload-corrupt"
  /** +QMTOPEN reported a failure (network, DNS or TLS handshake). */
  | "mqtt-open-failed"
  /** The broker answered CONNACK with a non-zero return code (bad password: 4). */
  | "connack-refused"
  /** The modem could not send or get an acknowledgement for CONNECT / SUBSCRIBE. */
  | "mqtt-failed"
  /** The modem gave up on a PUBLISH (result 2): not delivered. */
  | "publish-failed"
  /** No acknowledgement seen (lost URC, link dropped mid-publish): it may or may not have arrived. */
  | "delivery-unknown"
  | "link-dropped"
  | "http-failed"
  | "invalid-argument"
  | "modem-dead"
  | "paused"
  | "session-limit"
  | "closed";

export interface ModemError {
  kind: ModemErrorKind;
  detail: string;
  /** CME error, MQTT result / return code or HTTP error code, when there is one. */
  code?: number;
}

export function modemError(kind: ModemErrorKind, detail: string, code?: number): ModemError {
  return code === undefined ? { kind, detail } : { kind, detail, code };
}

/** The error for a command that did not end in OK. */
export function commandError(result: AtResult, what: string): ModemError {
  const final = result.final;
  if (final.kind === "timeout") return modemError("timeout", `${what}: ${final.text}`);
  if (final.kind === "aborted") return modemError("aborted", `${what}: ${final.text}`);
  return modemError("rejected", `${what}: ${final.text}`, final.code !== undefined && !Number.isNaN(final.code) ? final.code : undefined);
}

export function describeError(error: ModemError): string {
  return `${error.kind}${error.code !== undefined ? ` (${error.code})` : ""}: ${error.detail}`;
}
