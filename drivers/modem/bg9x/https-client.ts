/**
 * HTTPS over the module's HTTP(S) stack. POST: the URL and the body are written in CONNECT data
 * phases, `+QHTTPPOST` reports the server's status, `AT+QHTTPREAD` fetches the answer's body
 * (counted by the length the module reported). GET: the module sends the request head the
 * firmware writes (custom header mode), so it can carry fields such as `Range`; `AT+QHTTPREAD`
 * then prints the server's response head before the counted body.
 */
import { AtReceiver } from "../at/at-receiver.js";
import type { AtCommand } from "../at/at-command.js";
import type { Bg9xModem, Done } from "./bg9x-modem.js";
import { TIMEOUTS } from "./command-timeouts.js";
import { decodeResponseHead, encodeGetRequest, type HttpsTarget } from "./http-message.js";
import { HTTP_ERRORS, parseHttpOutcome, parseHttpRead } from "./http-results.js";
import { commandError, modemError, type ModemError } from "./modem-error.js";
import { sendAll } from "./network-setup.js";
import { transferTimeMs } from "../at/serial-link.js";
import { utf8Bytes } from "../at/text.js";

export type HttpContentType = "application/x-www-form-urlencoded" | "text/plain" | "application/octet-stream" | "application/json";

/** `AT+QHTTPCFG="contenttype"` codes; 4 (JSON) exists on recent BG95 firmware only. */
const CONTENT_TYPE_CODES: Record<HttpContentType, number> = {
  "application/x-www-form-urlencoded": 0,
  "text/plain": 1,
  "application/octet-stream": 2,
  "application/json": 4,
};

/**
 * Who writes the HTTP heads: the module (`requestheader` and `responseheader` 0, for POST), or
 * the firmware, which then also sees the server's head (both 1, for GET with a Range field).
 */
export type HttpHeaderMode = "module" | "custom";

export interface HttpSettings {
  pdpContext: number;
  sslContext: number;
  headers: HttpHeaderMode;
  /** The POST body's type (module mode only). */
  contentType: HttpContentType;
}

export interface HttpResponse {
  status: number;
  body: Uint8Array;
}

export interface HttpGetResponse extends HttpResponse {
  /** The response head's fields, names in lower case. */
  fields: Readonly<Record<string, string>>;
}

/** The largest GET body read: the receiver's block limit less room for the response head. */
export const MAX_GET_BODY_BYTES = AtReceiver.maxBlockBytes - AtReceiver.maxHeadBytes;

type Answered<T> = (error: ModemError | undefined, response?: T) => void;

export function configureHttp(modem: Bg9xModem, settings: HttpSettings, done: Done): void {
  const custom = settings.headers === "custom" ? 1 : 0;
  const lines = [
    `AT+QHTTPCFG="contextid",${settings.pdpContext}`,
    `AT+QHTTPCFG="sslctxid",${settings.sslContext}`,
    `AT+QHTTPCFG="requestheader",${custom}`,
    `AT+QHTTPCFG="responseheader",${custom}`,
  ];
  if (!custom) lines.push(`AT+QHTTPCFG="contenttype",${CONTENT_TYPE_CODES[settings.contentType]}`);
  sendAll(modem, lines, TIMEOUTS.basic, done);
}

const INPUT_TIME_S = 30;
const RESPONSE_TIME_S = 60;

function setUrl(modem: Bg9xModem, url: string, done: Done): void {
  const urlBytes = utf8Bytes(url);
  modem.run({
    text: `AT+QHTTPURL=${urlBytes.length},${INPUT_TIME_S}`,
    timeoutMs: TIMEOUTS.httpUrl,
    send: { after: "connect", data: urlBytes },
  }, (result) => done(result.final.kind === "ok" ? undefined : commandError(result, "AT+QHTTPURL")));
}

/**
 * Sends a request whose data phase carries `data` and waits for its `+QHTTPPOST:` / `+QHTTPGET:`
 * report; `done` gets the server's status and the body length the module announced.
 */
function request(modem: Bg9xModem, command: AtCommand, prefix: string, done: (error: ModemError | undefined, status?: number, length?: number) => void): void {
  modem.commandThenUrc(command, { prefix, timeoutMs: TIMEOUTS.httpResponseUrc }, (error, line) => {
    if (error) return done(error);
    const outcome = line === undefined ? undefined : parseHttpOutcome(line, prefix);
    if (!outcome) return done(modemError("http-failed", `no ${prefix.slice(0, -1)}`));
    if (outcome.error !== 0 || outcome.status === undefined) {
      return done(modemError("http-failed", `${prefix.slice(1, -1)}: ${HTTP_ERRORS[outcome.error] ?? "error"}`, outcome.error));
    }
    done(undefined, outcome.status, outcome.contentLength);
  });
}

export function httpsPost(modem: Bg9xModem, url: string, body: Uint8Array, done: Answered<HttpResponse>): void {
  setUrl(modem, url, (urlError) => {
    if (urlError) return done(urlError);
    request(modem, {
      text: `AT+QHTTPPOST=${body.length},${INPUT_TIME_S},${RESPONSE_TIME_S}`,
      timeoutMs: TIMEOUTS.httpPost + 2 * transferTimeMs(body.length),
      send: { after: "connect", data: body },
    }, "+QHTTPPOST:", (error, status, length) => {
      if (error || status === undefined) return done(error);
      if (length === 0) return done(undefined, { status, body: new Uint8Array(0) });
      readAnswer(modem, { length }, (readError, data) => done(readError, data && { status, body: data }));
    });
  });
}

/** GETs `url` (already checked: parseHttpsUrl) with the extra request head `fields`; the module must be in custom header mode. */
export function httpsGet(modem: Bg9xModem, url: string, target: HttpsTarget, fields: Readonly<Record<string, string>>, done: Answered<HttpGetResponse>): void {
  setUrl(modem, url, (urlError) => {
    if (urlError) return done(urlError);
    const head = utf8Bytes(encodeGetRequest(target, fields));
    request(modem, {
      text: `AT+QHTTPGET=${RESPONSE_TIME_S},${head.length},${INPUT_TIME_S}`,
      timeoutMs: TIMEOUTS.httpGet + 2 * transferTimeMs(head.length),
      send: { after: "connect", data: head },
    }, "+QHTTPGET:", (error, status, length) => {
      if (error || status === undefined) return done(error);
      if (length !== undefined && length > MAX_GET_BODY_BYTES) {
        return done(modemError("http-failed", `answer of ${length} bytes is larger than ${MAX_GET_BODY_BYTES}`));
      }
      readAnswer(modem, { length, headFirst: true }, (readError, data) => {
        if (readError || !data) return done(readError);
        const response = decodeResponseHead(data);
        if (!response) return done(modemError("http-failed", "QHTTPREAD: no HTTP response head"));
        done(undefined, { status, fields: response.fields, body: data.slice(response.bodyOffset) });
      });
    });
  });
}

/** `AT+QHTTPREAD`: the answer's bytes after CONNECT, then `+QHTTPREAD: 0`. */
function readAnswer(modem: Bg9xModem, receive: NonNullable<AtCommand["receive"]>, done: Answered<Uint8Array>): void {
  let data: Uint8Array = new Uint8Array(0);
  modem.commandThenUrc({
    text: `AT+QHTTPREAD=${RESPONSE_TIME_S}`,
    // The read itself takes its transfer time on the UART on top of the module's wait.
    timeoutMs: TIMEOUTS.httpRead + 2 * transferTimeMs(receive.length ?? MAX_GET_BODY_BYTES),
    receive,
  }, { prefix: "+QHTTPREAD:", timeoutMs: TIMEOUTS.basic }, (error, line) => {
    if (error) return done(error);
    const code = line === undefined ? undefined : parseHttpRead(line);
    if (code !== 0) return done(modemError("http-failed", `QHTTPREAD: ${code === undefined ? "no result" : HTTP_ERRORS[code] ?? "error"}`, code));
    done(undefined, data);
  }, (answer) => { data = answer.data ?? data; });
}
