/**
 * The updater's ImageSource over the modem session's HTTPS GET: each chunk is one request with
 * `Range: bytes=<first>-<last>` (docs/firmware-update.md §7). A 206 counts only when its
 * Content-Range starts at the offset asked and its body is as long as the range it names; its
 * total is the file's length. A 416 means the offset lies past the end of the file. A 200 (a
 * server that ignores Range) is taken for a request from offset 0 only.
 */
import type { ImageSource, RangeResult } from "./image-source.js";

export interface GetResponse {
  status: number;
  /** Response head fields, names in lower case. */
  fields: Readonly<Record<string, string>>;
  body: Uint8Array;
}

/** What the image source needs of the modem; ModemSession fits. */
export interface HttpsGetter {
  get(url: string, fields: Readonly<Record<string, string>>, done: (error: { kind: string; detail: string } | undefined, response?: GetResponse) => void): void;
}

interface ContentRange {
  first: number;
  last: number;
  /** Undefined when the server does not say (`/*`). */
  total: number | undefined;
}

/** `bytes <first>-<last>/<total or *>` (RFC 9110 §14.4); undefined for anything else. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = value === undefined ? null : /^bytes (\d{1,10})-(\d{1,10})\/(\d{1,10}|\*)$/.exec(value.trim());
  if (!match) return undefined;
  const range = { first: Number(match[1]), last: Number(match[2]), total: match[3] === "*" ? undefined : Number(match[3]) };
  if (range.last < range.first || (range.total !== undefined && range.last >= range.total)) return undefined;
  return range;
}

export class ModemImageSource implements ImageSource {
  readonly #http: HttpsGetter;

  constructor(http: HttpsGetter) {
    this.#http = http;
  }

  fetchRange(url: string, offset: number, length: number, done: (result: RangeResult) => void): void {
    this.#http.get(url, { Range: `bytes=${offset}-${offset + length - 1}` }, (error, response) => {
      if (error || !response) return done({ ok: false, error: error ? `${error.kind}: ${error.detail}` : "no answer" });
      done(rangeResult(response, offset, length));
    });
  }
}

function rangeResult(response: GetResponse, offset: number, length: number): RangeResult {
  const { status, body } = response;
  if (status === 416) return { ok: false, error: "HTTP 416: the range starts past the end of the file", beyondEnd: true };
  if (status === 200) {
    if (offset !== 0) return { ok: false, error: `HTTP 200 for bytes from ${offset}: the server ignored the Range` };
    return { ok: true, bytes: body.subarray(0, length), totalLength: body.length };
  }
  if (status !== 206) return { ok: false, error: `HTTP ${status}` };
  const range = parseContentRange(response.fields["content-range"]);
  if (!range || range.first !== offset) {
    return { ok: false, error: `Content-Range "${response.fields["content-range"] ?? ""}" does not answer bytes from ${offset}` };
  }
  if (body.length !== range.last - range.first + 1) {
    return { ok: false, error: `${body.length} bytes for Content-Range ${range.first}-${range.last}` };
  }
  return range.total === undefined ? { ok: true, bytes: body } : { ok: true, bytes: body, totalLength: range.total };
}
