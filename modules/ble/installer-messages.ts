/**
 * The application messages carried in session records (docs/ble-session.md "Messages"): the app
 * may ask for the status, start a site check or end the session, and nothing else. There is no
 * message to read stored data, change firmware or upload.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { concatBytes } from "../crypto/bytes.js";
import type { InstallerStatus, SiteCheckResult } from "./installer-status.js";
import { decodeSiteCheck, decodeStatus, encodeSiteCheck, encodeStatus } from "./status-codec.js";

const Op = Object.freeze({
  StatusRequest: 0x01,
  SiteCheckRequest: 0x02,
  Close: 0x03,
  Status: 0x81,
  SiteCheckStarted: 0x82,
  SiteCheckResult: 0x83,
});

export type InstallerRequest = { kind: "status" } | { kind: "site-check" } | { kind: "close" };

export type InstallerResponse =
  | { kind: "status"; status: InstallerStatus }
  /** `accepted` is false while an earlier site check is still running. */
  | { kind: "site-check-started"; accepted: boolean }
  | { kind: "site-check-result"; result: SiteCheckResult };

const REQUEST_OPS = { status: Op.StatusRequest, "site-check": Op.SiteCheckRequest, close: Op.Close } as const;

export function encodeRequest(request: InstallerRequest): Uint8Array {
  return Uint8Array.of(REQUEST_OPS[request.kind]);
}

export function decodeRequest(bytes: Uint8Array): InstallerRequest {
  if (bytes.length !== 1) throw new FormatError(`request of ${bytes.length} bytes`);
  switch (bytes[0]) {
    case Op.StatusRequest: return { kind: "status" };
    case Op.SiteCheckRequest: return { kind: "site-check" };
    case Op.Close: return { kind: "close" };
    default: throw new FormatError(`unknown request 0x${bytes[0].toString(16)}`);
  }
}

export function encodeResponse(response: InstallerResponse): Uint8Array {
  switch (response.kind) {
    case "status": return concatBytes(Uint8Array.of(Op.Status), encodeStatus(response.status));
    case "site-check-started": return Uint8Array.of(Op.SiteCheckStarted, response.accepted ? 1 : 0);
    case "site-check-result": return concatBytes(Uint8Array.of(Op.SiteCheckResult), encodeSiteCheck(response.result));
  }
}

export function decodeResponse(bytes: Uint8Array): InstallerResponse {
  const reader = new ByteReader(bytes);
  const op = reader.u8();
  const body = bytes.subarray(1);
  switch (op) {
    case Op.Status: return { kind: "status", status: decodeStatus(body) };
    case Op.SiteCheckStarted: {
      if (body.length !== 1 || body[0] > 1) throw new FormatError("bad site-check-started");
      return { kind: "site-check-started", accepted: body[0] === 1 };
    }
    case Op.SiteCheckResult: return { kind: "site-check-result", result: decodeSiteCheck(body) };
    default: throw new FormatError(`unknown response 0x${op.toString(16)}`);
  }
}
