/**
 * The platform's SerialIO over a UartPort, behaving as the simulated board's serial does:
 * - `write` queues up to TX_CAPACITY bytes (the ESP32 port has only its 128-byte hardware FIFO)
 *   and throws "output full" beyond, so drivers see the same back-pressure everywhere;
 * - `onWritable` fires when everything written has left the line, which the RS-485 driver uses
 *   to release the bus;
 * - received bytes are drained from the port at once (a FIFO overflows in milliseconds at
 *   115200 baud) into a bounded buffer that `read` empties;
 * - callbacks never run inside `write`/`read`/`set`, and an exception thrown by one is reported
 *   instead of unwinding into the native event loop.
 */
import { completeFraming } from "../../drivers/serial-port/framing.js";
import { concatBytes } from "../../modules/crypto/bytes.js";
import type { SerialFraming, SerialIO, SerialOptions } from "../../modules/platform/io.js";
import type { Framing, UartOpener, UartPort } from "./uart-port.js";

export const TX_CAPACITY = 1024;
/** Beyond this many unread bytes the oldest are dropped and counted. */
export const RX_CAPACITY = 4096;

export interface PortSerialHost {
  open: UartOpener;
  /** Runs `callback` soon, outside the current call (a 0 ms timer). */
  defer(callback: () => void): void;
  /** Receives what a firmware callback threw. */
  report(error: unknown): void;
}

export class PortSerial implements SerialIO {
  readonly #options: SerialOptions;
  readonly #host: PortSerialHost;
  readonly #port: UartPort;
  #framing: Framing;
  #tx: Uint8Array[] = [];
  #txBytes = 0;
  #rx: Uint8Array[] = [];
  #rxBytes = 0;
  #closed = false;

  constructor(options: SerialOptions, host: PortSerialHost) {
    this.#options = options;
    this.#host = host;
    this.#framing = completeFraming(options);
    this.#port = host.open(options.port, this.#framing, {
      onReadable: () => this.#receive(),
      onWritable: () => this.#pump(),
      onIdle: () => this.#idle(),
      onError: (kind) => this.#call(() => this.#options.onError?.call(this, kind)),
    });
    if (options.onWritable) host.defer(() => this.#idle());
  }

  read(): Uint8Array | undefined {
    if (this.#rxBytes === 0) return undefined;
    const out = concatBytes(...this.#rx);
    this.#rx = [];
    this.#rxBytes = 0;
    return out;
  }

  write(data: Uint8Array): void {
    if (this.#closed) throw new Error("closed");
    if (this.#txBytes + data.length > TX_CAPACITY) throw new Error("output full");
    if (data.length === 0) return;
    this.#tx.push(data.slice());
    this.#txBytes += data.length;
    this.#pump();
  }

  set(options: Partial<SerialFraming> & { break?: boolean }): void {
    if (this.#closed) throw new Error("closed");
    const { break: hold, ...changes } = options;
    if (Object.keys(changes).length > 0) {
      const framing = completeFraming({ ...this.#framing, ...changes });
      this.#port.reframe(framing);
      this.#framing = framing;
    }
    if (hold !== undefined) {
      this.#port.setBreak(hold);
      if (!hold) this.#pump();
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#tx = [];
    this.#txBytes = 0;
    this.#port.close();
  }

  #pump(): void {
    while (!this.#closed && this.#txBytes > 0) {
      const room = this.#port.writable();
      if (room <= 0) return;
      const head = this.#tx[0];
      const part = head.length <= room ? head : head.subarray(0, room);
      this.#port.write(part);
      this.#txBytes -= part.length;
      if (part === head) this.#tx.shift();
      else this.#tx[0] = head.subarray(room);
    }
  }

  #idle(): void {
    if (this.#closed || this.#txBytes > 0) return;
    const onWritable = this.#options.onWritable;
    if (onWritable) this.#call(() => onWritable.call(this, TX_CAPACITY));
  }

  #receive(): void {
    if (this.#closed) return;
    const bytes = this.#port.read();
    if (!bytes || bytes.length === 0) return;
    this.#rx.push(bytes);
    this.#rxBytes += bytes.length;
    const excess = this.#rxBytes - RX_CAPACITY;
    if (excess > 0) this.#dropOldest(excess);
    const onReadable = this.#options.onReadable;
    if (onReadable) this.#call(() => onReadable.call(this, this.#rxBytes));
  }

  #dropOldest(count: number): void {
    for (let left = count; left > 0;) {
      const oldest = this.#rx[0];
      const drop = Math.min(left, oldest.length);
      if (drop === oldest.length) this.#rx.shift();
      else this.#rx[0] = oldest.subarray(drop);
      this.#rxBytes -= drop;
      left -= drop;
    }
    this.#host.report(new Error(`serial ${this.#options.port}: ${count} unread bytes dropped`));
  }

  #call(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#host.report(error);
    }
  }
}
