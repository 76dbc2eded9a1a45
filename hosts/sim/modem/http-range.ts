/**
 * How a file server answers a GET with or without `Range: bytes=<first>-[<last>]` (RFC 9110
 * §14): 206 with the slice and `Content-Range: bytes <first>-<last>/<length>`, 416 with an
 * unsatisfied Content-Range (an asterisk and the length) when the range starts past the end, 200 with the whole file
 * when there is no Range or one this server does not understand, 404 for no file.
 */
import type { HttpsResponse } from "./modem-network.js";

const RANGE = /^bytes=(\d+)-(\d*)$/;

export function answerRange(file: Uint8Array | undefined, range: string | undefined): HttpsResponse {
  if (!file) return { status: 404, body: new Uint8Array(0) };
  const fields = { "content-type": "application/octet-stream", "accept-ranges": "bytes" };
  const match = range === undefined ? null : RANGE.exec(range.trim());
  if (!match) return { status: 200, fields, body: file.slice() };
  const first = Number(match[1]);
  const last = match[2] === "" ? file.length - 1 : Math.min(Number(match[2]), file.length - 1);
  if (match[2] !== "" && Number(match[2]) < first) return { status: 200, fields, body: file.slice() };
  if (first >= file.length) return { status: 416, fields: { ...fields, "content-range": `bytes */${file.length}` }, body: new Uint8Array(0) };
  return { status: 206, fields: { ...fields, "content-range": `bytes ${first}-${last}/${file.length}` }, body: file.slice(first, last + 1) };
}
