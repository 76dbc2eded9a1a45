/**
 * Where image bytes come from: an HTTP range request over the modem's HTTPS client
 * (`AT+QHTTPCFG="requestheader",1` and a `Range: bytes=a-b` header; docs/firmware-update.md
 * "Download"). The modem session implements it; tests use a simulated update server.
 */

export type RangeResult =
  | {
    ok: true;
    /** The bytes from the requested offset: at most the requested length, fewer at the end of the file. */
    bytes: Uint8Array;
    /** The file's whole length when the server said (Content-Range), else undefined. */
    totalLength?: number;
  }
  | {
    ok: false;
    /** What went wrong, for the trace. */
    error: string;
    /** The server answered that the range lies past the end of the file (HTTP 416). */
    beyondEnd?: boolean;
  };

export interface ImageSource {
  /** Fetches bytes [offset, offset + length) of the file at `url`; `done` is called once. */
  fetchRange(url: string, offset: number, length: number, done: (result: RangeResult) => void): void;
}
