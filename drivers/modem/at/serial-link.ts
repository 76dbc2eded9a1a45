/**
 * The modem's UART as an AtLink: received bytes go to a callback, written bytes are queued and
 * handed to the port only as fast as its transmit buffer drains (onWritable), so that a 2 KB
 * certificate or HTTP body never meets an "output full" exception.
 */
import type { SerialClass, SerialIO } from "../../../modules/platform/io.js";
import type { AtLink } from "./at-engine.js";

export const MODEM_BAUD = 115200;

/** Milliseconds `bytes` take on the line at 115200 8N1 (10 bits a byte). */
export function transferTimeMs(bytes: number): number {
  return Math.ceil((bytes * 10 * 1000) / MODEM_BAUD);
}

export class SerialLink implements AtLink {
  readonly #port: SerialIO;
  readonly #pending: Uint8Array[] = [];
  #writable = 0;
  #closed = false;

  constructor(Serial: SerialClass, onBytes: (bytes: Uint8Array) => void) {
    const link = this;
    this.#port = new Serial({
      port: "modem",
      baud: MODEM_BAUD,
      dataBits: 8,
      parity: "none",
      stopBits: 1,
      onReadable() {
        const bytes = this.read();
        if (bytes && !link.#closed) onBytes(bytes);
      },
      onWritable(count) {
        link.#writable = count;
        link.#pump();
      },
    });
  }

  write(bytes: Uint8Array): void {
    if (this.#closed || bytes.length === 0) return;
    this.#pending.push(bytes);
    this.#pump();
  }

  /** Drops queued output (the modem restarted or lost power). */
  discardOutput(): void {
    this.#pending.length = 0;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.length = 0;
    this.#port.close();
  }

  #pump(): void {
    while (this.#writable > 0 && this.#pending.length) {
      const head = this.#pending[0];
      const take = Math.min(head.length, this.#writable);
      this.#port.write(take === head.length ? head : head.subarray(0, take));
      this.#writable -= take;
      if (take === head.length) this.#pending.shift();
      else this.#pending[0] = head.subarray(take);
    }
  }
}
