/**
 * IO classes shaped after ECMA-419 (`embedded:io/*`) as Moddable implements them: an options
 * object with callbacks, `read`, `write`, `close`. The firmware receives the constructors from
 * the platform object, never from a global, so several simulated boards can run side by side.
 */

export interface DigitalOptions {
  pin: number;
  mode: number;
  /** Rising 1, Falling 2, or both 3: which edges call onReadable. */
  edge?: number;
  onReadable?: (this: DigitalIO) => void;
}
export interface DigitalIO {
  read(): 0 | 1;
  write(value: 0 | 1): void;
  close(): void;
}
export interface DigitalClass {
  new (options: DigitalOptions): DigitalIO;
}
/** The mode and edge constants of `embedded:io/digital`. */
export const DigitalMode = Object.freeze({
  Input: 0,
  InputPullUp: 1,
  InputPullDown: 2,
  Output: 8,
  OutputOpenDrain: 9,
});
export const DigitalEdge = Object.freeze({ Rising: 1, Falling: 2, Both: 3 });

export interface AnalogOptions {
  pin: number;
}
export interface AnalogIO {
  /** Raw ADC code, 0 .. 2^resolution - 1. */
  read(): number;
  readonly resolution: number;
  close(): void;
}
export interface AnalogClass {
  new (options: AnalogOptions): AnalogIO;
}

export interface PulseCountOptions {
  signal: number;
  control?: number;
  /** Glitch filter: pulses shorter than this many nanoseconds are ignored. */
  filter?: number;
  onReadable?: (this: PulseCountIO) => void;
}
export interface PulseCountIO {
  /** Pulses counted since the base was last written. */
  read(): number;
  /** Sets the count base. */
  write(count: number): void;
  close(): void;
}
export interface PulseCountClass {
  new (options: PulseCountOptions): PulseCountIO;
}

/** Serial ports are named by role; the board's pin map binds a role to a UART. */
export type SerialPortName = "console" | "modem" | "rs485" | "rs232" | "sdi12";
export type Parity = "none" | "even" | "odd";

export interface SerialFraming {
  baud: number;
  dataBits?: 7 | 8;
  parity?: Parity;
  stopBits?: 1 | 2;
}

export interface SerialOptions extends SerialFraming {
  port: SerialPortName;
  /** Called with the number of bytes ready to read. */
  onReadable?: (this: SerialIO, count: number) => void;
  /** Called with the number of bytes that can be written without blocking. */
  onWritable?: (this: SerialIO, count: number) => void;
  /** Called for a received byte with a parity or framing error; the byte is dropped. */
  onError?: (this: SerialIO, kind: "parity" | "framing") => void;
}

export interface SerialIO {
  /** All available bytes, or undefined when none are. */
  read(): Uint8Array | undefined;
  /** Queues bytes; throws "output full" like Moddable when the TX buffer cannot take them. */
  write(data: Uint8Array): void;
  /**
   * Changes framing without closing the port, or holds the line in a break (space) state;
   * Moddable's typings name this `set()`. SDI-12 needs the break, the console needs baud changes.
   */
  set(options: Partial<SerialFraming> & { break?: boolean }): void;
  close(): void;
}
export interface SerialClass {
  new (options: SerialOptions): SerialIO;
}

export interface IoClasses {
  Digital: DigitalClass;
  Analog: AnalogClass;
  PulseCount: PulseCountClass;
  Serial: SerialClass;
}
