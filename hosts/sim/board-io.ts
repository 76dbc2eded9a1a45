/**
 * The ECMA-419-shaped IO classes of the simulated board. Each class is made per board, so the
 * firmware of one simulated logger can never reach another's pins. Callbacks run from the
 * scheduler, never re-entrantly from inside read/write, as on Moddable.
 */
import type {
  AnalogClass, AnalogIO, AnalogOptions, DigitalClass, DigitalIO, DigitalOptions, IoClasses,
  PulseCountClass, PulseCountIO, PulseCountOptions, SerialClass, SerialFraming, SerialIO, SerialOptions,
  SerialPortName,
} from "../../modules/platform/io.js";
import { DigitalEdge, DigitalMode } from "../../modules/platform/io.js";
import type { Scheduler } from "./scheduler.js";
import { characterTimeMs, type SerialTap } from "./serial-bus.js";

/** What the board's IO needs from the board: pins, ports and the lifetime of the running firmware. */
export interface BoardWiring {
  readonly scheduler: Scheduler;
  readonly pins: PinBank;
  readonly serialPorts: Partial<Record<SerialPortName, SerialTap>>;
  /** Registers a resource to close when the firmware's power goes away. */
  own(resource: { close(): void }): void;
  disown(resource: { close(): void }): void;
  /** Runs a firmware callback the way the board runs all firmware code (crash and power-cut handling). */
  guard(run: () => void): void;
}

type AnalogSource = (timeMs: number) => number;

/** The electrical state of the board's GPIOs, shared by the firmware side and the world side. */
export class PinBank {
  readonly adcFullScaleVolts = 3.3;
  readonly adcResolution = 12;
  readonly #levels = new Map<number, 0 | 1>();
  readonly #outputs = new Set<number>();
  readonly #levelListeners = new Map<number, Set<(level: 0 | 1) => void>>();
  readonly #analog = new Map<number, AnalogSource>();
  readonly #pulses = new Map<number, { count: number; listeners: Set<() => void>; minWidthNs: number }>();
  readonly #claimed = new Set<string>();

  constructor(readonly scheduler: Scheduler) {}

  claim(kind: string, pin: number): void {
    const key = `${kind}:${pin}`;
    if (this.#claimed.has(key)) throw new Error(`${kind} pin ${pin} in use`);
    this.#claimed.add(key);
  }

  release(kind: string, pin: number): void {
    this.#claimed.delete(`${kind}:${pin}`);
  }

  level(pin: number): 0 | 1 {
    return this.#levels.get(pin) ?? 0;
  }

  isOutput(pin: number): boolean {
    return this.#outputs.has(pin);
  }

  setOutput(pin: number, isOutput: boolean): void {
    if (isOutput) this.#outputs.add(pin);
    else this.#outputs.delete(pin);
  }

  /** Drives a pin (from a world-side source, or from the firmware for an output). */
  drive(pin: number, level: 0 | 1): void {
    if (this.level(pin) === level && this.#levels.has(pin)) return;
    this.#levels.set(pin, level);
    for (const listener of this.#levelListeners.get(pin) ?? []) listener(level);
  }

  /** Watches a pin's level: a peer watching a modem power key, or a Digital input's edge detector. */
  watch(pin: number, listener: (level: 0 | 1) => void): () => void {
    let set = this.#levelListeners.get(pin);
    if (!set) this.#levelListeners.set(pin, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  /** Connects an analog source giving the voltage at the ADC pin at a virtual time. */
  connectAnalog(pin: number, source: AnalogSource): void {
    this.#analog.set(pin, source);
  }

  analogVolts(pin: number): number {
    const source = this.#analog.get(pin);
    return source ? source(this.scheduler.now) : 0;
  }

  /**
   * Pulses arriving at a counter input. Pulses narrower than the counter's glitch filter are
   * ignored, as the hardware filter would; a source reports many pulses at once to stay cheap.
   */
  addPulses(pin: number, count: number, widthNs = 1_000_000): void {
    const unit = this.#pulseUnit(pin);
    if (widthNs < unit.minWidthNs) return;
    unit.count += count;
    for (const listener of unit.listeners) listener();
  }

  pulseTotal(pin: number): number {
    return this.#pulseUnit(pin).count;
  }

  setPulseFilter(pin: number, minWidthNs: number): void {
    this.#pulseUnit(pin).minWidthNs = minWidthNs;
  }

  onPulses(pin: number, listener: () => void): () => void {
    const unit = this.#pulseUnit(pin);
    unit.listeners.add(listener);
    return () => unit.listeners.delete(listener);
  }

  #pulseUnit(pin: number) {
    let unit = this.#pulses.get(pin);
    if (!unit) this.#pulses.set(pin, (unit = { count: 0, listeners: new Set(), minWidthNs: 0 }));
    return unit;
  }
}

/** ESP32's PCNT unit holds -32768..32767; it must be read before that many pulses pile up. */
export const PULSE_UNIT_LIMIT = 32768;

export function makeIoClasses(wiring: BoardWiring): IoClasses {
  const { scheduler, pins } = wiring;

  class Digital implements DigitalIO {
    readonly #pin: number;
    readonly #output: boolean;
    #unwatch: (() => void) | undefined;
    #closed = false;

    constructor(options: DigitalOptions) {
      pins.claim("digital", options.pin);
      this.#pin = options.pin;
      this.#output = options.mode === DigitalMode.Output || options.mode === DigitalMode.OutputOpenDrain;
      pins.setOutput(this.#pin, this.#output);
      const edge = options.edge ?? 0;
      const onReadable = options.onReadable;
      if (!this.#output && edge && onReadable) {
        this.#unwatch = pins.watch(this.#pin, (level) => {
          const wanted = level ? edge & DigitalEdge.Rising : edge & DigitalEdge.Falling;
          if (wanted) scheduler.after(0, () => { if (!this.#closed) wiring.guard(() => onReadable.call(this)); });
        });
      }
      wiring.own(this);
    }

    read(): 0 | 1 {
      if (this.#output) throw new Error("can't read output");
      return pins.level(this.#pin);
    }

    write(value: 0 | 1): void {
      if (!this.#output) throw new Error("can't write input");
      pins.drive(this.#pin, value ? 1 : 0);
    }

    close(): void {
      if (this.#closed) return;
      this.#closed = true;
      this.#unwatch?.();
      pins.release("digital", this.#pin);
      wiring.disown(this);
    }
  }

  class Analog implements AnalogIO {
    readonly resolution = pins.adcResolution;
    readonly #pin: number;
    #closed = false;

    constructor(options: AnalogOptions) {
      pins.claim("analog", options.pin);
      this.#pin = options.pin;
      wiring.own(this);
    }

    read(): number {
      if (this.#closed) throw new Error("closed");
      const max = 2 ** this.resolution - 1;
      const code = Math.round((pins.analogVolts(this.#pin) / pins.adcFullScaleVolts) * max);
      return Math.min(max, Math.max(0, code));
    }

    close(): void {
      if (this.#closed) return;
      this.#closed = true;
      pins.release("analog", this.#pin);
      wiring.disown(this);
    }
  }

  class PulseCount implements PulseCountIO {
    readonly #pin: number;
    #base = 0;
    #lastHardware: number;
    #unsubscribe: (() => void) | undefined;
    #closed = false;

    constructor(options: PulseCountOptions) {
      pins.claim("pulse", options.signal);
      this.#pin = options.signal;
      pins.setPulseFilter(this.#pin, options.filter ?? 1000);
      this.#lastHardware = pins.pulseTotal(this.#pin);
      const onReadable = options.onReadable;
      if (onReadable) {
        this.#unsubscribe = pins.onPulses(this.#pin, () => scheduler.after(0, () => { if (!this.#closed) wiring.guard(() => onReadable.call(this)); }));
      }
      wiring.own(this);
    }

    read(): number {
      const total = pins.pulseTotal(this.#pin);
      // The hardware unit wraps silently: pulses beyond its range since the last read are lost.
      const pending = (total - this.#lastHardware) % PULSE_UNIT_LIMIT;
      this.#lastHardware = total;
      this.#base += pending;
      return this.#base;
    }

    write(count: number): void {
      this.read();
      this.#base = count;
    }

    close(): void {
      if (this.#closed) return;
      this.#closed = true;
      this.#unsubscribe?.();
      pins.release("pulse", this.#pin);
      wiring.disown(this);
    }
  }

  class Serial implements SerialIO {
    static readonly txBufferSize = 1024;
    readonly #tap: SerialTap;
    readonly #port: SerialPortName;
    readonly #options: SerialOptions;
    #received: Uint8Array[] = [];
    #receivedBytes = 0;
    #closed = false;
    #writableEvent = false;

    constructor(options: SerialOptions) {
      const tap = wiring.serialPorts[options.port];
      if (!tap) throw new Error(`no serial port "${options.port}" on this board`);
      if (tap.listener) throw new Error(`serial port "${options.port}" in use`);
      this.#tap = tap;
      this.#port = options.port;
      this.#options = options;
      tap.setFraming(framingOf(options));
      tap.listener = {
        onBytes: (bytes) => {
          this.#received.push(bytes);
          this.#receivedBytes += bytes.length;
          const onReadable = this.#options.onReadable;
          if (onReadable) wiring.guard(() => onReadable.call(this, this.#receivedBytes));
        },
        onError: (kind) => {
          const onError = this.#options.onError;
          if (onError) wiring.guard(() => onError.call(this, kind));
        },
        // A UART reads a line held in the space state as a break: a framing error.
        onBreak: (active) => {
          const onError = this.#options.onError;
          if (active && onError) wiring.guard(() => onError.call(this, "framing"));
        },
      };
      wiring.own(this);
      if (options.onWritable) this.#scheduleWritable();
    }

    read(): Uint8Array | undefined {
      if (!this.#receivedBytes) return undefined;
      const out = new Uint8Array(this.#receivedBytes);
      let at = 0;
      for (const chunk of this.#received) {
        out.set(chunk, at);
        at += chunk.length;
      }
      this.#received = [];
      this.#receivedBytes = 0;
      return out;
    }

    write(data: Uint8Array): void {
      if (this.#closed) throw new Error("closed");
      const queuedBytes = Math.ceil(Math.max(0, this.#tap.busyUntil - scheduler.now) / characterTimeMs(this.#tap.framing));
      if (queuedBytes + data.length > Serial.txBufferSize) throw new Error("output full");
      this.#tap.send(data);
      if (this.#options.onWritable) this.#scheduleWritable();
    }

    set(options: Partial<SerialFraming> & { break?: boolean }): void {
      if (options.break !== undefined) this.#tap.holdBreak(options.break);
      const { break: _ignored, ...framing } = options;
      this.#tap.setFraming(framing);
    }

    close(): void {
      if (this.#closed) return;
      this.#closed = true;
      this.#tap.holdBreak(false);
      this.#tap.listener = undefined;
      wiring.disown(this);
    }

    get port(): SerialPortName {
      return this.#port;
    }

    #scheduleWritable(): void {
      if (this.#writableEvent) return;
      this.#writableEvent = true;
      scheduler.at(Math.max(scheduler.now, this.#tap.busyUntil), () => {
        this.#writableEvent = false;
        // More was queued since this event was planned: report when that has drained instead.
        if (this.#tap.busyUntil > scheduler.now) return this.#scheduleWritable();
        const onWritable = this.#options.onWritable;
        if (!this.#closed && onWritable) wiring.guard(() => onWritable.call(this, Serial.txBufferSize));
      });
    }
  }

  return {
    Digital: Digital as DigitalClass,
    Analog: Analog as AnalogClass,
    PulseCount: PulseCount as PulseCountClass,
    Serial: Serial as SerialClass,
  };
}

function framingOf(options: SerialFraming): SerialFraming {
  const framing: SerialFraming = { baud: options.baud };
  if (options.dataBits !== undefined) framing.dataBits = options.dataBits;
  if (options.parity !== undefined) framing.parity = options.parity;
  if (options.stopBits !== undefined) framing.stopBits = options.stopBits;
  return framing;
}
