/**
 * HTTPS POST over the module's HTTP(S) stack: the URL and the body are written in CONNECT data
 * phases, `+QHTTPPOST` reports the server's status, and `AT+QHTTPREAD` fetches the answer's
 * body (counted by the content length the module reported).
 */
import type { Bg9xModem } from "./bg9x-modem.js";
import { TIMEOUTS } from "./command-timeouts.js";
import { HTTP_ERRORS, parseHttpPost, parseHttpRead } from "./http-results.js";
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

export interface HttpResponse {
  status: number;
  body: Uint8Array;
}

export function configureHttps(modem: Bg9xModem, pdpContext: number, sslContext: number, contentType: HttpContentType, done: (error?: ModemError) => void): void {
  sendAll(modem, [
    `AT+QHTTPCFG="contextid",${pdpContext}`,
    `AT+QHTTPCFG="sslctxid",${sslContext}`,
    `AT+QHTTPCFG="requestheader",0`,
    `AT+QHTTPCFG="responseheader",0`,
    `AT+QHTTPCFG="contenttype",${CONTENT_TYPE_CODES[contentType]}`,
  ], TIMEOUTS.basic, done);
}

const INPUT_TIME_S = 30;
const RESPONSE_TIME_S = 60;

export function httpsPost(modem: Bg9xModem, url: string, body: Uint8Array, done: (error: ModemError | undefined, response?: HttpResponse) => void): void {
  const urlBytes = utf8Bytes(url);
  modem.run({
    text: `AT+QHTTPURL=${urlBytes.length},${INPUT_TIME_S}`,
    timeoutMs: TIMEOUTS.httpUrl,
    send: { after: "connect", data: urlBytes },
  }, (urlResult) => {
    if (urlResult.final.kind !== "ok") return done(commandError(urlResult, "AT+QHTTPURL"));
    modem.commandThenUrc({
      text: `AT+QHTTPPOST=${body.length},${INPUT_TIME_S},${RESPONSE_TIME_S}`,
      timeoutMs: TIMEOUTS.httpPost + 2 * transferTimeMs(body.length),
      send: { after: "connect", data: body },
    }, { prefix: "+QHTTPPOST:", timeoutMs: TIMEOUTS.httpResponseUrc }, (error, line) => {
      if (error) return done(error);
      const outcome = line === undefined ? undefined : parseHttpPost(line);
      if (!outcome) return done(modemError("http-failed", "no +QHTTPPOST"));
      if (outcome.error !== 0 || outcome.status === undefined) {
        return done(modemError("http-failed", `QHTTPPOST: ${HTTP_ERRORS[outcome.error] ?? "error"}`, outcome.error));
      }
      readBody(modem, outcome.status, outcome.contentLength, done);
    });
  });
}

function readBody(modem: Bg9xModem, status: number, length: number | undefined, done: (error: ModemError | undefined, response?: HttpResponse) => void): void {
  if (length === 0) return done(undefined, { status, body: new Uint8Array(0) });
  let body: Uint8Array = new Uint8Array(0);
  modem.commandThenUrc({ text: `AT+QHTTPREAD=${RESPONSE_TIME_S}`, timeoutMs: TIMEOUTS.httpRead, receive: { length } },
    { prefix: "+QHTTPREAD:", timeoutMs: TIMEOUTS.basic }, (error, line) => {
      if (error) return done(error);
      const code = line === undefined ? undefined : parseHttpRead(line);
      if (code !== 0) return done(modemError("http-failed", `QHTTPREAD: ${code === undefined ? "no result" : HTTP_ERRORS[code] ?? "error"}`, code));
      done(undefined, { status, body });
    }, (answer) => { body = answer.data ?? body; });
}
