/**
 * Quectel HTTP(S) results. `+QHTTPPOST:` and `+QHTTPGET: <err>[,<httprspcode>[,<content_length>]]`:
 * err 0 means the request went through and the server answered; the HTTP status is separate. Error codes
 * 701..730 are the HTTP stack's own (Quectel HTTP(S) Application Note).
 */
import { numericFields } from "./fields.js";

export const HTTP_ERRORS: Record<number, string> = {
  701: "unknown error",
  702: "timeout",
  703: "busy",
  704: "UART busy",
  705: "no GET/POST request",
  706: "network busy",
  707: "network open failed",
  708: "network not configured",
  709: "network deactivated",
  710: "network error",
  711: "URL error",
  712: "empty URL",
  713: "IP address error",
  714: "DNS error",
  715: "socket create error",
  716: "socket connect error",
  717: "socket read error",
  718: "socket write error",
  719: "socket closed",
  720: "data encode error",
  721: "data decode error",
  722: "read timeout",
  723: "response failed",
  726: "input timeout",
  727: "wait data timeout",
  728: "wait response timeout",
  729: "memory allocation failed",
  730: "invalid parameter",
};

/** What `+QHTTPPOST:` / `+QHTTPGET:` report: the stack's error, then the server's status and body length. */
export interface HttpOutcome {
  error: number;
  status: number | undefined;
  contentLength: number | undefined;
}

/** `prefix` is the request's URC, `+QHTTPPOST:` or `+QHTTPGET:`. */
export function parseHttpOutcome(line: string, prefix: string): HttpOutcome | undefined {
  const fields = numericFields(line, prefix);
  if (!fields || fields.length < 1 || fields.length > 3) return undefined;
  return { error: fields[0], status: fields[1], contentLength: fields[2] };
}

export function parseHttpRead(line: string): number | undefined {
  const fields = numericFields(line, "+QHTTPREAD:");
  return fields && fields.length === 1 ? fields[0] : undefined;
}
