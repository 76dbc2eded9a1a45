/**
 * A simulated NXP SC16IS752 at register level, seen through its I2C interface, with each UART
 * channel on a SerialBus tap. Modelled after the datasheet where the driver depends on it:
 * - sub-address byte = register << 3 | channel << 1; repeated RHR reads drain the RX FIFO,
 *   repeated THR writes fill the TX FIFO (64 bytes each);
 * - LCR bit 7 maps registers 0/1 to DLL/DLH; baud = crystal / (16 * divisor); LCR bits 0..5
 *   set the framing, bit 6 holds a break;
 * - a received character that failed parity or stop bit stays in the FIFO with its error, shown
 *   in LSR bits 2/3 while it is at the top, and LSR bit 7 while any is in the FIFO;
 * - IIR reports the highest-priority pending source (line status 0x06, RX 0x04/0x0C, THR empty
 *   0x02) or 0x01; reading IIR clears a THR-empty interrupt; the active-low IRQ pin is driven
 *   on a PinBank while any enabled source is pending.
 */
import type { PinBank } from "../../../hosts/sim/board-io.js";
import type { Scheduler } from "../../../hosts/sim/scheduler.js";
import { characterTimeMs, type SerialTap } from "../../../hosts/sim/serial-bus.js";
import type { I2cBus } from "../../../hosts/moddable/sc16is7xx.js";

const FIFO = 64;

interface Received {
  value: number;
  error?: "parity" | "framing";
}

class Channel {
  lcr = 0x1d;
  dll = 0;
  dlh = 0;
  ier = 0;
  efcr = 0;
  rx: Received[] = [];
  txEmptyPending = false;
  #txEmptyEvent = false;

  constructor(readonly chip: SimSc16is752, readonly tap: SerialTap) {
    tap.listener = {
      onBytes: (bytes) => {
        for (const value of bytes) if (this.rx.length < FIFO) this.rx.push({ value });
        chip.updateIrq();
      },
      onError: (kind) => {
        if (this.rx.length < FIFO) this.rx.push({ value: 0, error: kind });
        chip.updateIrq();
      },
    };
  }

  get queuedTx(): number {
    const pendingMs = Math.max(0, this.tap.busyUntil - this.chip.scheduler.now);
    // Tolerance for the rounding of the floating-point character times.
    return Math.ceil(pendingMs / characterTimeMs(this.tap.framing) - 1e-9);
  }

  applyLineControl(): void {
    const divisor = (this.dlh << 8) | this.dll;
    if (divisor === 0) return;
    this.tap.setFraming({
      baud: Math.round(this.chip.crystalHz / (16 * divisor)),
      dataBits: (this.lcr & 0x03) === 0x03 ? 8 : 7,
      parity: this.lcr & 0x08 ? (this.lcr & 0x10 ? "even" : "odd") : "none",
      stopBits: this.lcr & 0x04 ? 2 : 1,
    });
    this.tap.holdBreak((this.lcr & 0x40) !== 0);
  }

  transmit(bytes: Uint8Array): void {
    // The byte in the shift register has left the FIFO.
    if (Math.max(0, this.queuedTx - 1) + bytes.length > FIFO) throw new Error("TX FIFO overrun: the driver wrote more than the FIFO holds");
    this.txEmptyPending = false;
    this.tap.send(bytes);
    this.#watchTxEmpty();
  }

  /** THR-empty comes when the last byte moves into the shift register, one character before the line is idle. */
  #watchTxEmpty(): void {
    if (this.#txEmptyEvent) return;
    this.#txEmptyEvent = true;
    const at = this.tap.busyUntil - characterTimeMs(this.tap.framing);
    this.chip.scheduler.at(Math.max(this.chip.scheduler.now, at), () => {
      this.#txEmptyEvent = false;
      if (this.queuedTx > 1) return this.#watchTxEmpty();
      this.txEmptyPending = true;
      this.chip.updateIrq();
    });
  }

  lsr(): number {
    let lsr = 0;
    if (this.rx.length) lsr |= 0x01;
    const top = this.rx[0];
    if (top?.error === "parity") lsr |= 0x04;
    if (top?.error === "framing") lsr |= 0x08;
    if (this.queuedTx <= 1) lsr |= 0x20;
    if (this.queuedTx === 0) lsr |= 0x40;
    if (this.rx.some((r) => r.error)) lsr |= 0x80;
    return lsr;
  }

  iir(): number {
    if (this.ier & 0x04 && this.rx[0]?.error) return 0x06;
    if (this.ier & 0x01 && this.rx.length) return 0x0c;
    if (this.ier & 0x02 && this.txEmptyPending) return 0x02;
    return 0x01;
  }
}

export class SimSc16is752 {
  readonly channels: [Channel, Channel];
  /** Every I2C write, for checking register sequences. */
  readonly writes: number[][] = [];
  #pointer: { channel: number; register: number } | undefined;

  constructor(
    readonly scheduler: Scheduler,
    readonly pins: PinBank,
    readonly irqPin: number,
    lines: [SerialTap, SerialTap],
    readonly crystalHz = 14_745_600,
  ) {
    this.channels = [new Channel(this, lines[0]), new Channel(this, lines[1])];
    pins.drive(irqPin, 1);
  }

  /** The bridge as an `embedded:io/i2c` instance addressed at it. */
  get bus(): I2cBus {
    return {
      write: (bytes, stop = true) => this.#write(bytes, stop),
      read: (count) => this.#read(count),
    };
  }

  updateIrq(): void {
    const pending = this.channels.some((c) => c.iir() !== 0x01);
    this.pins.drive(this.irqPin, pending ? 0 : 1);
  }

  #write(bytes: Uint8Array, stop: boolean): void {
    this.writes.push(Array.from(bytes));
    const register = (bytes[0] >> 3) & 0x0f;
    const channel = (bytes[0] >> 1) & 0x03;
    if (channel > 1) throw new Error(`sub-address ${bytes[0]} names channel ${channel}`);
    if (bytes.length === 1 && !stop) {
      this.#pointer = { channel, register };
      return;
    }
    const c = this.channels[channel];
    const data = bytes.subarray(1);
    const divisorAccess = (c.lcr & 0x80) !== 0;
    switch (register) {
      case 0x00:
        if (divisorAccess) c.dll = data[data.length - 1];
        else c.transmit(data);
        break;
      case 0x01:
        if (divisorAccess) c.dlh = data[data.length - 1];
        else c.ier = data[data.length - 1];
        break;
      case 0x02:
        if (data[0] & 0x02) c.rx = [];
        break;
      case 0x03:
        c.lcr = data[data.length - 1];
        c.applyLineControl();
        break;
      case 0x0f:
        c.efcr = data[data.length - 1];
        break;
      default:
        throw new Error(`write to register ${register} the driver should not touch`);
    }
    this.updateIrq();
  }

  #read(count: number): ArrayBuffer {
    const pointer = this.#pointer;
    if (!pointer) throw new Error("read without a register address");
    this.#pointer = undefined;
    const c = this.channels[pointer.channel];
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      switch (pointer.register) {
        case 0x00:
          out[i] = c.rx.shift()?.value ?? 0;
          break;
        case 0x02: {
          const iir = c.iir();
          if (iir === 0x02) c.txEmptyPending = false;
          out[i] = iir;
          break;
        }
        case 0x05:
          out[i] = c.lsr();
          break;
        case 0x09:
          out[i] = c.rx.length;
          break;
        default:
          throw new Error(`read of register ${pointer.register} the driver should not need`);
      }
    }
    this.updateIrq();
    return out.buffer;
  }
}
