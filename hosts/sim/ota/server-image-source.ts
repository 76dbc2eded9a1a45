/**
 * An ImageSource that reaches the simulated update server over a simulated cellular link: each
 * range request takes a round trip plus the transfer at the link's rate, and fails when the link
 * is down when it starts or drops before it ends. Answers arrive through the firmware's timers,
 * so a reset of the board cancels them like a real one would.
 */
import type { Timers } from "../../../modules/platform/clock.js";
import type { ImageSource, RangeResult } from "../../../modules/ota/image-source.js";
import type { SimUpdateServer } from "./update-server.js";

export interface CellLink {
  /** Request set-up and first byte. */
  roundTripMs: number;
  /** Sustained rate: the modem UART at 115200 baud caps it near 11 kB/s. */
  bytesPerSecond: number;
  /** How long a request waits before it gives up on a dead link. */
  timeoutMs: number;
}

export const CAT_M1_LINK: CellLink = Object.freeze({ roundTripMs: 1200, bytesPerSecond: 10_000, timeoutMs: 30_000 });

export class ServerImageSource implements ImageSource {
  /** Whether the cellular link carries data; tests drop it. */
  up = true;
  readonly #server: SimUpdateServer;
  readonly #timers: Timers;
  readonly #link: CellLink;

  constructor(server: SimUpdateServer, timers: Timers, link: CellLink = CAT_M1_LINK) {
    this.#server = server;
    this.#timers = timers;
    this.#link = link;
  }

  fetchRange(url: string, offset: number, length: number, done: (result: RangeResult) => void): void {
    const prefix = `https://${this.#server.host}/`;
    if (!url.startsWith(prefix)) {
      this.#timers.set(() => done({ ok: false, error: `no such host in ${url}` }), this.#link.roundTripMs);
      return;
    }
    if (!this.up) {
      this.#timers.set(() => done({ ok: false, error: "no network" }), this.#link.timeoutMs);
      return;
    }
    const answer = this.#server.get(url.slice(prefix.length - 1), offset, offset + length - 1);
    const transferMs = Math.ceil((answer.body.length * 1000) / this.#link.bytesPerSecond);
    this.#timers.set(() => {
      if (!this.up) return done({ ok: false, error: "connection dropped" });
      if (answer.status === 404) return done({ ok: false, error: "HTTP 404" });
      if (answer.status === 416) return done({ ok: false, error: "HTTP 416", beyondEnd: true });
      done({ ok: true, bytes: answer.body, totalLength: answer.totalLength });
    }, this.#link.roundTripMs + transferMs);
  }
}
