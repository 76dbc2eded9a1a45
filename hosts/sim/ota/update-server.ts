/**
 * The vendor's update server in the simulated world: files by path, answered like an HTTP server
 * answers a `Range: bytes=<first>-<last>` request (206 with the slice and the file's length,
 * 416 past the end, 404 for an unknown path). Tests publish images, truncated or oversized files.
 */
export const UPDATE_HOST = "updates.datalogger.example";

export interface RangeAnswer {
  status: 206 | 404 | 416;
  body: Uint8Array;
  /** The whole file's length (Content-Range), when the file exists. */
  totalLength?: number;
}

export interface RangeRequest {
  path: string;
  first: number;
  last: number;
}

export class SimUpdateServer {
  readonly host: string;
  /** Every range request, oldest first. */
  readonly requests: RangeRequest[] = [];
  readonly #files = new Map<string, Uint8Array>();

  constructor(host: string = UPDATE_HOST) {
    this.host = host;
  }

  /** Serves `bytes` at `path` (which starts with /); returns the file's https URL. */
  publish(path: string, bytes: Uint8Array): string {
    if (!/^\/[\x21-\x7e]+$/.test(path)) throw new RangeError(`bad path "${path}"`);
    this.#files.set(path, bytes.slice());
    return `https://${this.host}${path}`;
  }

  /** Bytes [first, last] of the file, like a server answering a Range header. */
  get(path: string, first: number, last: number): RangeAnswer {
    this.requests.push({ path, first, last });
    const file = this.#files.get(path);
    if (!file) return { status: 404, body: new Uint8Array(0) };
    if (first >= file.length) return { status: 416, body: new Uint8Array(0), totalLength: file.length };
    return { status: 206, body: file.slice(first, Math.min(last + 1, file.length)), totalLength: file.length };
  }

  /** Bytes served so far (what the cellular bill sees). */
  servedBytes(): number {
    let total = 0;
    for (const request of this.requests) {
      const file = this.#files.get(request.path);
      if (file && request.first < file.length) total += Math.min(request.last + 1, file.length) - request.first;
    }
    return total;
  }
}
