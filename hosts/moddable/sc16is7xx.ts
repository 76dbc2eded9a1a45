/**
 * UART channels of an NXP SC16IS752/762 I2C-to-dual-UART bridge, as UartPorts.
 *
 * The reference boards need it because the MCUs have too few UARTs (nRF52840: one usable
 * UARTE in Moddable; ESP32: three, all 8N1-only in Moddable) and because SDI-12 (7E1 with a
 * break) and Modbus RTU (often 8E1) need framing Moddable's native serial cannot do. The bridge
 * frames 5-8 data bits with any parity and 1-2 stop bits, makes a break by itself (LCR bit 6),
 * has 64-byte FIFOs each way, and can switch an RS-485 / SDI-12 transceiver's direction in
 * hardware (EFCR RTSCON).
 *
 * Register access: one I2C sub-address byte = register << 3 | channel << 1, then data; reading
 * RHR repeatedly in one transaction drains the RX FIFO, writing THR repeatedly fills the TX FIFO.
 * Interrupts arrive on one open-drain IRQ line shared by all channels (and bridges): the host
 * calls `service()` on its falling edge.
 */
import type { Framing, UartEvents, UartPort } from "./uart-port.js";
import { describeFraming } from "./uart-port.js";
import { characterTimeMs } from "../../drivers/serial-port/framing.js";
import { concatBytes } from "../../modules/crypto/bytes.js";

/** What the bridge needs of an `embedded:io/i2c` instance addressed at the bridge. */
export interface I2cBus {
  write(bytes: Uint8Array, stop?: boolean): void;
  read(count: number, stop?: boolean): ArrayBuffer;
}

export const Register = Object.freeze({
  RHR: 0x00, THR: 0x00, IER: 0x01, FCR: 0x02, IIR: 0x02, LCR: 0x03, LSR: 0x05, RXLVL: 0x09, EFCR: 0x0f,
  // With LCR bit 7 set:
  DLL: 0x00, DLH: 0x01,
});

export const Lcr = Object.freeze({ Bits7: 0x02, Bits8: 0x03, TwoStop: 0x04, Parity: 0x08, Even: 0x10, Break: 0x40, Divisor: 0x80 });
export const Lsr = Object.freeze({ Data: 0x01, Parity: 0x04, Framing: 0x08, Break: 0x10, Idle: 0x40, FifoError: 0x80 });
export const Ier = Object.freeze({ Received: 0x01, TxEmpty: 0x02, LineStatus: 0x04 });
export const Iir = Object.freeze({ None: 0x01, LineStatus: 0x06, RxTimeout: 0x0c, Received: 0x04, TxEmpty: 0x02 });
export const Efcr = Object.freeze({ AutoDirection: 0x10, InvertDirection: 0x20 });

export const FIFO_BYTES = 64;
/** The crystal of the reference boards: every standard baud rate divides it exactly. */
export const CRYSTAL_HZ = 14_745_600;

export interface BridgeChannelOptions {
  /** Let the bridge drive the transceiver's direction pin (RTS) while it transmits. */
  autoDirection?: "rts-high-while-sending" | "rts-low-while-sending";
}

export interface BridgeTiming {
  /** Calls back after `ms`; returns a cancel function. */
  after(ms: number, callback: () => void): () => void;
}

export class Sc16is7xx {
  readonly #bus: I2cBus;
  readonly #timing: BridgeTiming;
  readonly #crystalHz: number;
  readonly #channels: Array<BridgeChannel | undefined> = [undefined, undefined];

  constructor(bus: I2cBus, timing: BridgeTiming, crystalHz = CRYSTAL_HZ) {
    this.#bus = bus;
    this.#timing = timing;
    this.#crystalHz = crystalHz;
  }

  open(channel: 0 | 1, framing: Framing, events: UartEvents, options: BridgeChannelOptions = {}): BridgeChannel {
    if (this.#channels[channel]) throw new Error(`bridge channel ${channel} in use`);
    const port = new BridgeChannel(this, channel, framing, events, options);
    this.#channels[channel] = port;
    return port;
  }

  /** Handles every pending interrupt of every open channel; call on the IRQ line's falling edge. */
  service(): void {
    for (const channel of this.#channels) channel?.service();
  }

  /** @internal */
  release(channel: number): void {
    this.#channels[channel] = undefined;
  }

  /** @internal */
  get crystalHz(): number {
    return this.#crystalHz;
  }

  /** @internal */
  get timing(): BridgeTiming {
    return this.#timing;
  }

  /** @internal */
  writeRegister(channel: number, register: number, ...values: number[]): void {
    const bytes = new Uint8Array(1 + values.length);
    bytes[0] = subAddress(channel, register);
    bytes.set(values, 1);
    this.#bus.write(bytes);
  }

  /** @internal */
  writeFifo(channel: number, data: Uint8Array): void {
    const bytes = new Uint8Array(1 + data.length);
    bytes[0] = subAddress(channel, Register.THR);
    bytes.set(data, 1);
    this.#bus.write(bytes);
  }

  /** @internal */
  readRegister(channel: number, register: number, count = 1): Uint8Array {
    this.#bus.write(Uint8Array.of(subAddress(channel, register)), false);
    return new Uint8Array(this.#bus.read(count));
  }
}

/**
 * Handles the bridges' interrupts after the shared IRQ line fell. The line stays low until every
 * pending source is handled and no new edge comes while it is low, so this repeats until the
 * line reads high (a bounded number of times: a stuck line must not hang the event loop).
 */
export function serviceBridges(bridges: readonly Sc16is7xx[], irqLevel: () => 0 | 1): void {
  for (let pass = 0; pass < 4 && irqLevel() === 0; pass++) for (const bridge of bridges) bridge.service();
}

function subAddress(channel: number, register: number): number {
  return (register << 3) | (channel << 1);
}

export function divisorFor(framing: Framing, crystalHz: number): number {
  const divisor = Math.round(crystalHz / (16 * framing.baud));
  const actual = crystalHz / (16 * divisor);
  if (divisor < 1 || divisor > 0xffff || Math.abs(actual - framing.baud) / framing.baud > 0.02) {
    throw new RangeError(`${describeFraming(framing)}: the bridge cannot make this baud rate from a ${crystalHz} Hz crystal`);
  }
  return divisor;
}

export function lineControl(framing: Framing): number {
  let lcr = framing.dataBits === 7 ? Lcr.Bits7 : Lcr.Bits8;
  if (framing.stopBits === 2) lcr |= Lcr.TwoStop;
  if (framing.parity !== "none") lcr |= Lcr.Parity;
  if (framing.parity === "even") lcr |= Lcr.Even;
  return lcr;
}

export class BridgeChannel implements UartPort {
  readonly #bridge: Sc16is7xx;
  readonly #channel: 0 | 1;
  readonly #events: UartEvents;
  #framing: Framing;
  #lcr = 0;
  #room = FIFO_BYTES;
  #breaking = false;
  #closed = false;
  #received: Uint8Array[] = [];
  #draining = false;
  #cancelIdle: (() => void) | undefined;

  constructor(bridge: Sc16is7xx, channel: 0 | 1, framing: Framing, events: UartEvents, options: BridgeChannelOptions) {
    this.#bridge = bridge;
    this.#channel = channel;
    this.#events = events;
    this.#framing = framing;
    const divisor = divisorFor(framing, bridge.crystalHz);
    // FIFOs on and emptied; then framing and baud; then interrupts for received data and errors.
    bridge.writeRegister(channel, Register.FCR, 0x07);
    this.#setLineControl(framing, divisor);
    let efcr = 0;
    if (options.autoDirection) efcr |= Efcr.AutoDirection;
    if (options.autoDirection === "rts-high-while-sending") efcr |= Efcr.InvertDirection;
    bridge.writeRegister(channel, Register.EFCR, efcr);
    bridge.writeRegister(channel, Register.IER, Ier.Received | Ier.LineStatus);
  }

  writable(): number {
    return this.#closed || this.#breaking ? 0 : this.#room;
  }

  write(bytes: Uint8Array): void {
    if (this.#closed) throw new Error("closed");
    if (this.#breaking) throw new Error("serial port is in a break");
    if (bytes.length > this.#room) throw new Error("output full");
    this.#bridge.writeFifo(this.#channel, bytes);
    this.#room -= bytes.length;
    this.#cancelIdle?.();
    this.#cancelIdle = undefined;
    // The TX-empty interrupt tells when the FIFO has drained.
    this.#bridge.writeRegister(this.#channel, Register.IER, Ier.Received | Ier.LineStatus | Ier.TxEmpty);
    this.#draining = true;
  }

  read(): Uint8Array | undefined {
    if (this.#received.length === 0) return undefined;
    const out = concatBytes(...this.#received);
    this.#received = [];
    return out;
  }

  reframe(framing: Framing): void {
    const divisor = divisorFor(framing, this.#bridge.crystalHz);
    this.#framing = framing;
    this.#setLineControl(framing, divisor);
  }

  setBreak(on: boolean): void {
    if (on === this.#breaking) return;
    this.#breaking = on;
    this.#lcr = on ? this.#lcr | Lcr.Break : this.#lcr & ~Lcr.Break;
    this.#bridge.writeRegister(this.#channel, Register.LCR, this.#lcr);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelIdle?.();
    this.#bridge.writeRegister(this.#channel, Register.IER, 0);
    this.#bridge.release(this.#channel);
  }

  /** @internal: handles this channel's pending interrupts. */
  service(): void {
    for (let round = 0; round < 8 && !this.#closed; round++) {
      const source = this.#bridge.readRegister(this.#channel, Register.IIR)[0] & 0x3f;
      if (source & Iir.None) return;
      switch (source) {
        case Iir.LineStatus:
          this.#receiveCheckingEach();
          break;
        case Iir.Received:
        case Iir.RxTimeout:
          this.#receive();
          break;
        case Iir.TxEmpty:
          this.#txEmpty();
          break;
        default:
          // Modem-status and I/O-pin interrupts are not enabled; reading LSR clears stray ones.
          this.#bridge.readRegister(this.#channel, Register.LSR);
      }
    }
  }

  #setLineControl(framing: Framing, divisor: number): void {
    const lcr = lineControl(framing) | (this.#breaking ? Lcr.Break : 0);
    const channel = this.#channel;
    this.#bridge.writeRegister(channel, Register.LCR, Lcr.Divisor);
    this.#bridge.writeRegister(channel, Register.DLL, divisor & 0xff);
    this.#bridge.writeRegister(channel, Register.DLH, divisor >> 8);
    this.#bridge.writeRegister(channel, Register.LCR, lcr);
    this.#lcr = lcr;
  }

  #receive(): void {
    const status = this.#bridge.readRegister(this.#channel, Register.LSR)[0];
    if (status & Lsr.FifoError) {
      this.#receiveCheckingEach();
      return;
    }
    const level = this.#bridge.readRegister(this.#channel, Register.RXLVL)[0];
    if (level === 0) return;
    this.#received.push(this.#bridge.readRegister(this.#channel, Register.RHR, level));
    this.#events.onReadable();
  }

  /** A character with an error is somewhere in the FIFO: read one at a time, status first. */
  #receiveCheckingEach(): void {
    const kept: number[] = [];
    for (let i = 0; i < FIFO_BYTES; i++) {
      const status = this.#bridge.readRegister(this.#channel, Register.LSR)[0];
      if (!(status & Lsr.Data)) break;
      const byte = this.#bridge.readRegister(this.#channel, Register.RHR)[0];
      if (status & Lsr.Parity) this.#events.onError("parity");
      else if (status & Lsr.Framing) this.#events.onError("framing");
      else if (!(status & Lsr.Break)) kept.push(byte);
    }
    if (kept.length === 0) return;
    this.#received.push(Uint8Array.from(kept));
    this.#events.onReadable();
  }

  #txEmpty(): void {
    this.#room = FIFO_BYTES;
    this.#bridge.writeRegister(this.#channel, Register.IER, Ier.Received | Ier.LineStatus);
    this.#events.onWritable();
    // onWritable may have written again; otherwise the last character is in the shift register.
    if (this.#room === FIFO_BYTES && this.#draining) this.#waitForIdle();
  }

  #waitForIdle(): void {
    this.#cancelIdle?.();
    this.#cancelIdle = this.#bridge.timing.after(Math.ceil(characterTimeMs(this.#framing)), () => {
      this.#cancelIdle = undefined;
      if (this.#closed || this.#room !== FIFO_BYTES) return;
      if (this.#bridge.readRegister(this.#channel, Register.LSR)[0] & Lsr.Idle) {
        this.#draining = false;
        this.#events.onIdle();
      } else {
        this.#waitForIdle();
      }
    });
  }
}
