/**
 * The HTTP/1.1 text the module's custom header mode carries (`AT+QHTTPCFG="requestheader",1`
 * and `"responseheader",1`): the GET request head the firmware writes in `AT+QHTTPGET`'s data
 * phase, and the response head `AT+QHTTPREAD` prints before the body (RFC 9112 message syntax).
 */
import { checkAtString } from "./fields.js";

export interface HttpsTarget {
  host: string;
  port: number;
  /** Path and query, starting with `/`. */
  path: string;
}

/** Longest URL `AT+QHTTPURL` takes. */
export const MAX_URL_BYTES = 700;

const HTTPS_URL = /^https:\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/[\x21-\x7e]*)$/;
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const FIELD_VALUE = /^[\x20-\x7e]*$/;

/** The parts of an absolute https URL the module can fetch, or why it cannot. */
export function parseHttpsUrl(url: string): HttpsTarget | string {
  if (url.length > MAX_URL_BYTES) return `URL longer than ${MAX_URL_BYTES} characters`;
  const match = HTTPS_URL.exec(url);
  if (!match) return "URL must be https://host[:port]/path in printable ASCII";
  const problem = checkAtString(url, "URL", false);
  if (problem) return problem;
  const port = match[2] ? Number(match[2]) : 443;
  if (port < 1 || port > 65535) return "URL port must be 1..65535";
  return { host: match[1], port, path: match[3] };
}

/** Why these request header fields cannot be sent, or undefined. `Host` is the firmware's own. */
export function checkHeaderFields(fields: Readonly<Record<string, string>>): string | undefined {
  for (const name of Object.keys(fields)) {
    if (!TOKEN.test(name)) return `header name "${name}" is not an HTTP token`;
    if (name.toLowerCase() === "host") return "the Host header is set from the URL";
    if (!FIELD_VALUE.test(fields[name])) return `header ${name} holds a control or non-ASCII character`;
  }
  return undefined;
}

/** The request head of a GET, ending in the empty line. */
export function encodeGetRequest(target: HttpsTarget, fields: Readonly<Record<string, string>>): string {
  const host = target.port === 443 ? target.host : `${target.host}:${target.port}`;
  let head = `GET ${target.path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const name of Object.keys(fields)) head += `${name}: ${fields[name]}\r\n`;
  return `${head}\r\n`;
}

export interface ResponseHead {
  status: number;
  /** Field names in lower case; repeated fields joined with ", ". */
  fields: Record<string, string>;
  /** Where the body starts in the bytes given. */
  bodyOffset: number;
}

const CR = 0x0d;
const LF = 0x0a;

/** Splits what `AT+QHTTPREAD` printed in header mode; undefined when it does not start with a response head. */
export function decodeResponseHead(bytes: Uint8Array): ResponseHead | undefined {
  let end = -1;
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i - 3] === CR && bytes[i - 2] === LF && bytes[i - 1] === CR && bytes[i] === LF) {
      end = i + 1;
      break;
    }
  }
  if (end < 0) return undefined;
  let text = "";
  for (let i = 0; i < end - 4; i++) text += String.fromCharCode(bytes[i]);
  const lines = text.split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!status) return undefined;
  // No prototype: a field named like an Object member stays a plain field.
  const fields = Object.create(null) as Record<string, string>;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) return undefined;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    fields[name] = fields[name] === undefined ? value : `${fields[name]}, ${value}`;
  }
  return { status: Number(status[1]), fields, bodyOffset: end };
}
