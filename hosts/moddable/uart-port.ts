/**
 * One UART as the board provides it: a native Moddable `embedded:io/serial` port, or a channel of
 * an SC16IS7xx I2C-UART bridge. PortSerial turns either into the platform's SerialIO, so what
 * differs between them (FIFO sizes, framing support, how a break is made) stays in the port.
 */
import type { Framing } from "../../drivers/serial-port/framing.js";
import type { SerialPortName } from "../../modules/platform/io.js";

export type { Framing };

export interface UartEvents {
  /** Bytes are waiting in the port. */
  onReadable(): void;
  /** The port can take more bytes. */
  onWritable(): void;
  /** Everything written so far has left the line. */
  onIdle(): void;
  /** A received character was dropped for a parity or framing error. */
  onError(kind: "parity" | "framing"): void;
}

export interface UartPort {
  /** Bytes `write` accepts now; 0 while a break is held. */
  writable(): number;
  write(bytes: Uint8Array): void;
  /** Everything received, or undefined. */
  read(): Uint8Array | undefined;
  /** Changes the framing; throws if this UART cannot frame characters that way. */
  reframe(framing: Framing): void;
  /** Holds the line in the space (logic 0) state, or releases it. */
  setBreak(on: boolean): void;
  close(): void;
}

/** Opens the UART that a serial role is wired to. */
export type UartOpener = (role: SerialPortName, framing: Framing, events: UartEvents) => UartPort;

export function describeFraming(framing: Framing): string {
  return `${framing.dataBits}${framing.parity.charAt(0).toUpperCase()}${framing.stopBits} at ${framing.baud} baud`;
}
