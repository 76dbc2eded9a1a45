/**
 * A simulated Moddable `embedded:io/serial` class on a SerialBus tap, behaving as the ESP32 port
 * does (modules/io/serial/esp32/serial.c): no software buffer, `write` throws "output full"
 * when the bytes do not fit the hardware FIFO, `onWritable(count)` fires when the FIFO falls to
 * its threshold, `onReadable(count)` after bytes arrive, and framing options are rejected unless
 * the chip takes them (nRF52: `data` 7 with a parity).
 */
import type { Scheduler } from "../../../hosts/sim/scheduler.js";
import { characterTimeMs, type SerialTap } from "../../../hosts/sim/serial-bus.js";
import type { ModdableSerial, ModdableSerialClass, ModdableSerialOptions } from "../../../hosts/moddable/native-uart.js";

export interface SimSerialChip {
  scheduler: Scheduler;
  /** The line wired to each transmit pin. */
  lines: Map<number, SerialTap>;
  fifoBytes: number;
  sevenBitParity: boolean;
  /** Every port opened, newest last. */
  opened: ModdableSerialOptions[];
}

export function simModdableSerial(chip: SimSerialChip): ModdableSerialClass {
  return class implements ModdableSerial {
    readonly #tap: SerialTap;
    readonly #options: ModdableSerialOptions;
    #received: number[] = [];
    #closed = false;
    #writableEvent = false;

    constructor(options: ModdableSerialOptions) {
      const tap = chip.lines.get(options.transmit);
      if (!tap) throw new Error("invalid");
      if (tap.listener) throw new RangeError("port in use");
      if ((options.data !== undefined || options.parity !== undefined) && !chip.sevenBitParity) throw new RangeError("unsupported");
      this.#tap = tap;
      this.#options = options;
      chip.opened.push(options);
      tap.setFraming({ baud: options.baud, dataBits: options.data ?? 8, parity: options.parity ?? "none", stopBits: 1 });
      tap.listener = {
        onBytes: (bytes) => {
          const fresh = this.#received.length === 0;
          for (const b of bytes) this.#received.push(b);
          if (fresh) chip.scheduler.after(0, () => { if (!this.#closed && this.#received.length) options.onReadable.call(this, this.#received.length); });
        },
      };
      this.#scheduleWritable();
    }

    read(): ArrayBuffer | undefined {
      if (this.#received.length === 0) return undefined;
      const out = Uint8Array.from(this.#received);
      this.#received = [];
      return out.buffer;
    }

    write(buffer: ArrayBuffer): void {
      if (this.#closed) throw new Error("closed");
      if (buffer.byteLength > this.#room()) throw new Error("output full");
      this.#tap.send(new Uint8Array(buffer));
      this.#scheduleWritable();
    }

    close(): void {
      this.#closed = true;
      this.#tap.listener = undefined;
    }

    #room(): number {
      // Tolerance for the rounding of the floating-point character times.
      const queued = Math.ceil(Math.max(0, this.#tap.busyUntil - chip.scheduler.now) / characterTimeMs(this.#tap.framing) - 1e-9);
      return chip.fifoBytes - queued;
    }

    /** The TX interrupt: when the FIFO holds no more than a quarter of its size. */
    #scheduleWritable(): void {
      if (this.#writableEvent) return;
      this.#writableEvent = true;
      const quarterMs = (chip.fifoBytes / 4) * characterTimeMs(this.#tap.framing);
      chip.scheduler.at(Math.max(chip.scheduler.now, this.#tap.busyUntil - quarterMs), () => {
        this.#writableEvent = false;
        if (this.#closed) return;
        // Writes made after this interrupt was armed moved the threshold crossing later.
        if (this.#room() < (chip.fifoBytes * 3) / 4) return this.#scheduleWritable();
        this.#options.onWritable.call(this, this.#room());
      });
    }
  };
}
