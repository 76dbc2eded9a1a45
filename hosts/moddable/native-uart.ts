/**
 * A UartPort over Moddable's `embedded:io/serial` (ESP32 UART0..2, nRF52 UARTE).
 *
 * What Moddable's class lacks, and how it is made up here:
 * - no `set()`: a framing change closes and reopens the port;
 * - no break: the port is closed and the TX pin is driven low with a Digital output until the
 *   break ends, then the port is reopened with the same framing;
 * - framing: ESP32 is 8N1 only, nRF52 8N1 / 7E1 / 7O1 (checked by the board's `checkFraming`;
 *   7-bit protocols on ESP32 use the drivers' softwareParity option over 8N1);
 * - no "transmission complete" event: `onWritable(count)` only reports FIFO room, so the moment
 *   the line goes idle is computed from the bytes written and the character time, plus one
 *   character of margin.
 */
import { characterTimeMs } from "../../drivers/serial-port/framing.js";
import { concatBytes } from "../../modules/crypto/bytes.js";
import type { Framing, UartEvents, UartPort } from "./uart-port.js";
import { describeFraming } from "./uart-port.js";

/** The instance shape of Moddable's `embedded:io/serial` with format "buffer". */
export interface ModdableSerial {
  read(): ArrayBuffer | undefined;
  write(buffer: ArrayBuffer): void;
  close(): void;
}

export interface ModdableSerialOptions {
  port?: number;
  transmit: number;
  receive: number;
  baud: number;
  /** nRF52 only: 7 with an even or odd parity. */
  data?: 7 | 8;
  parity?: "none" | "even" | "odd";
  format: "buffer";
  onReadable(this: ModdableSerial, count: number): void;
  onWritable(this: ModdableSerial, count: number): void;
}

export type ModdableSerialClass = new (options: ModdableSerialOptions) => ModdableSerial;

export interface NativeUartWiring {
  Serial: ModdableSerialClass;
  /** UART number (ESP32); nRF52 has a single UARTE and ignores it. */
  port?: number;
  transmit: number;
  receive: number;
  /** Bytes the transmit path holds when empty (ESP32 FIFO 128, nRF52 buffer 768). */
  txCapacity: number;
  /** Why this UART cannot frame characters that way, or undefined. */
  checkFraming(framing: Framing): string | undefined;
  /** Drives `pin` low as an output until the returned handle is closed. */
  holdLow(pin: number): { close(): void };
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls back after `ms`; returns a cancel function. */
  after(ms: number, callback: () => void): () => void;
}

export class NativeUart implements UartPort {
  readonly #wiring: NativeUartWiring;
  readonly #events: UartEvents;
  #framing: Framing;
  #serial: ModdableSerial | undefined;
  #held: { close(): void } | undefined;
  #room: number;
  #busyUntil = 0;
  #cancelIdle: (() => void) | undefined;
  #pending: Uint8Array | undefined;

  constructor(wiring: NativeUartWiring, framing: Framing, events: UartEvents) {
    this.#wiring = wiring;
    this.#events = events;
    this.#framing = this.#checked(framing);
    this.#room = wiring.txCapacity;
    this.#serial = this.#open();
  }

  writable(): number {
    return this.#serial ? this.#room : 0;
  }

  write(bytes: Uint8Array): void {
    const serial = this.#serial;
    if (!serial) throw new Error("serial port is in a break");
    if (bytes.length > this.#room) throw new Error("output full");
    serial.write(bytes.slice().buffer as ArrayBuffer);
    this.#room -= bytes.length;
    const start = Math.max(this.#wiring.now(), this.#busyUntil);
    this.#busyUntil = start + bytes.length * characterTimeMs(this.#framing);
    this.#scheduleIdle();
  }

  read(): Uint8Array | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    const fresh = this.#drain();
    if (!pending) return fresh;
    return fresh ? concatBytes(pending, fresh) : pending;
  }

  reframe(framing: Framing): void {
    this.#framing = this.#checked(framing);
    if (!this.#serial) return;
    this.#closeSerial();
    this.#serial = this.#open();
  }

  setBreak(on: boolean): void {
    if (on === (this.#held !== undefined)) return;
    if (on) {
      this.#closeSerial();
      this.#held = this.#wiring.holdLow(this.#wiring.transmit);
    } else {
      this.#held?.close();
      this.#held = undefined;
      this.#room = this.#wiring.txCapacity;
      this.#serial = this.#open();
    }
  }

  close(): void {
    this.#cancelIdle?.();
    this.#cancelIdle = undefined;
    this.#closeSerial();
    this.#held?.close();
    this.#held = undefined;
  }

  #checked(framing: Framing): Framing {
    const problem = this.#wiring.checkFraming(framing);
    if (problem) throw new RangeError(`${describeFraming(framing)}: ${problem}`);
    return framing;
  }

  #open(): ModdableSerial {
    const events = this.#events;
    const framing = this.#framing;
    const options: ModdableSerialOptions = {
      transmit: this.#wiring.transmit,
      receive: this.#wiring.receive,
      baud: framing.baud,
      format: "buffer",
      onReadable: () => events.onReadable(),
      onWritable: (count) => {
        this.#room = count;
        events.onWritable();
      },
    };
    if (this.#wiring.port !== undefined) options.port = this.#wiring.port;
    if (framing.dataBits !== 8 || framing.parity !== "none") {
      options.data = framing.dataBits;
      options.parity = framing.parity;
    }
    return new this.#wiring.Serial(options);
  }

  /**
   * Keeps what the closing port still held, so a reframe or a break loses no received byte; the
   * port's own onReadable for those bytes dies with it, so a new one is raised.
   */
  #closeSerial(): void {
    if (!this.#serial) return;
    const left = this.read();
    this.#serial.close();
    this.#serial = undefined;
    if (!left) return;
    this.#pending = left;
    this.#wiring.after(0, () => { if (this.#pending) this.#events.onReadable(); });
  }

  #drain(): Uint8Array | undefined {
    const buffer = this.#serial?.read();
    return buffer && buffer.byteLength > 0 ? new Uint8Array(buffer) : undefined;
  }

  #scheduleIdle(): void {
    this.#cancelIdle?.();
    const wait = this.#busyUntil - this.#wiring.now() + characterTimeMs(this.#framing);
    this.#cancelIdle = this.#wiring.after(Math.max(0, Math.ceil(wait)), () => {
      this.#cancelIdle = undefined;
      this.#events.onIdle();
    });
  }
}
