/**
 * One serial port as the protocol drivers use it: bytes in, bytes out, line errors, a break, a
 * run-time change of framing, and when the last written byte will have left the wire (half-duplex
 * buses time their turnarounds from it). Software parity sits here, so drivers never see it.
 */
import type { Clock } from "../../modules/platform/clock.js";
import type { SerialClass, SerialFraming, SerialIO, SerialPortName } from "../../modules/platform/io.js";
import { characterTimeMs } from "./framing.js";
import type { PortSettings } from "./port-settings.js";
import { addParity, checkParity } from "./software-parity.js";

export type LineErrorKind = "parity" | "framing";

export interface SerialLineListener {
  onBytes(bytes: Uint8Array): void;
  onLineError(kind: LineErrorKind): void;
}

/** What a serial line needs from the platform. */
export interface SerialLineDeps {
  Serial: SerialClass;
  clock: Clock;
}

/** The framing the UART itself is set to: 8N1 when parity is done in software. */
function uartFraming(settings: PortSettings): SerialFraming {
  if (settings.softwareParity) return { baud: settings.baud, dataBits: 8, parity: "none", stopBits: settings.stopBits };
  return { baud: settings.baud, dataBits: settings.dataBits, parity: settings.parity, stopBits: settings.stopBits };
}

export class SerialLine {
  listener: SerialLineListener | undefined;
  readonly #io: SerialIO;
  readonly #clock: Clock;
  #settings: PortSettings;
  #txIdleAt = 0;

  constructor(deps: SerialLineDeps, port: SerialPortName, settings: PortSettings) {
    this.#clock = deps.clock;
    this.#settings = { ...settings };
    const line = this;
    this.#io = new deps.Serial({
      port,
      ...uartFraming(settings),
      onReadable() {
        line.#drain();
      },
      onError(kind) {
        line.listener?.onLineError(kind);
      },
    });
  }

  get settings(): PortSettings {
    return { ...this.#settings };
  }

  get characterTimeMs(): number {
    return characterTimeMs(this.#settings);
  }

  /**
   * Queues `bytes`; returns the monotonic time at which the last one will have left the wire,
   * or undefined when the UART refused them (transmit buffer full).
   */
  write(bytes: Uint8Array): number | undefined {
    const wire = this.#settings.softwareParity ? addParity(bytes, this.#parity()) : bytes;
    try {
      this.#io.write(wire);
    } catch {
      return undefined;
    }
    const now = this.#clock.monotonic();
    this.#txIdleAt = Math.max(now, this.#txIdleAt) + bytes.length * this.characterTimeMs;
    return this.#txIdleAt;
  }

  /** Delivers whatever the UART holds now: a deadline must not race a pending notification. */
  poll(): void {
    this.#drain();
  }

  /** Holds the line in the space state (a break) or releases it. */
  setBreak(active: boolean): void {
    this.#io.set({ break: active });
  }

  /** Re-frames the open port; the caller has checked the settings. */
  reframe(settings: PortSettings): void {
    this.#settings = { ...settings };
    this.#io.set(uartFraming(settings));
  }

  close(): void {
    this.#io.close();
  }

  #parity(): "even" | "odd" {
    return this.#settings.parity === "odd" ? "odd" : "even";
  }

  #drain(): void {
    const bytes = this.#io.read();
    if (!bytes || !bytes.length) return;
    const listener = this.listener;
    if (!listener) return;
    if (!this.#settings.softwareParity) {
      listener.onBytes(bytes);
      return;
    }
    const checked = checkParity(bytes, this.#parity());
    for (let i = 0; i < checked.parityErrors; i++) listener.onLineError("parity");
    if (checked.characters.length) listener.onBytes(checked.characters);
  }
}
