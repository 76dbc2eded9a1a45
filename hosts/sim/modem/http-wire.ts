/**
 * The simulated module's side of its custom header mode: with `requestheader` 1 the bytes of the
 * data phase are the whole request (head, then any body), which the module sends as they are; with
 * `responseheader` 1 `AT+QHTTPREAD` prints the server's response head before the body.
 */
export interface RawRequest {
  method: string;
  path: string;
  /** Field names in lower case. */
  fields: Record<string, string>;
  body: Uint8Array;
}

const REASONS: Record<number, string> = {
  200: "OK", 201: "Created", 204: "No Content", 206: "Partial Content", 400: "Bad Request", 401: "Unauthorized",
  403: "Forbidden", 404: "Not Found", 416: "Range Not Satisfiable", 500: "Internal Server Error", 503: "Service Unavailable",
};

/** Reads a request written in custom header mode; undefined when it is no HTTP/1.x request. */
export function decodeRawRequest(bytes: Uint8Array): RawRequest | undefined {
  let end = -1;
  for (let i = 3; i < bytes.length && end < 0; i++) {
    if (bytes[i - 3] === 0x0d && bytes[i - 2] === 0x0a && bytes[i - 1] === 0x0d && bytes[i] === 0x0a) end = i + 1;
  }
  if (end < 0) return undefined;
  const lines = String.fromCharCode(...bytes.subarray(0, end - 4)).split("\r\n");
  const start = /^([A-Z]+) (\/\S*) HTTP\/1\.[01]$/.exec(lines[0]);
  if (!start) return undefined;
  const fields = Object.create(null) as Record<string, string>;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method: start[1], path: start[2], fields, body: bytes.slice(end) };
}

/** The head `AT+QHTTPREAD` prints in response header mode. */
export function encodeResponseHead(status: number, fields: Readonly<Record<string, string>>, bodyLength: number): string {
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? "Unknown"}\r\n`;
  for (const name of Object.keys(fields)) head += `${name}: ${fields[name]}\r\n`;
  return `${head}content-length: ${bodyLength}\r\n\r\n`;
}
