/**
 * Simulated serial wiring with real timing: a byte takes (start + data + parity + stop) bits at
 * the sender's baud rate to cross, a sender cannot outrun its line, and a receiver whose framing
 * differs from the sender's gets garbage and framing errors, as on a real UART. A bus joins any
 * number of taps (a point-to-point line is a bus of two); overlapping transmissions collide.
 */
import type { SerialFraming } from "../../modules/platform/io.js";
import type { Scheduler } from "./scheduler.js";

export type LineError = "parity" | "framing";

export interface TapListener {
  onBytes(bytes: Uint8Array): void;
  onError?(kind: LineError): void;
  /** The line went into (true) or out of (false) a break held by another tap. */
  onBreak?(active: boolean): void;
}

const DEFAULT_FRAMING: Required<SerialFraming> = { baud: 9600, dataBits: 8, parity: "none", stopBits: 1 };

export function bitsPerCharacter(framing: Required<SerialFraming>): number {
  return 1 + framing.dataBits + (framing.parity === "none" ? 0 : 1) + framing.stopBits;
}

export function characterTimeMs(framing: Required<SerialFraming>): number {
  return (bitsPerCharacter(framing) * 1000) / framing.baud;
}

function sameFraming(a: Required<SerialFraming>, b: Required<SerialFraming>): boolean {
  return a.baud === b.baud && a.dataBits === b.dataBits && a.parity === b.parity && a.stopBits === b.stopBits;
}

interface Transmission {
  from: SerialTap;
  start: number;
  end: number;
  collided: boolean;
}

export class SerialTap {
  framing: Required<SerialFraming>;
  listener: TapListener | undefined;
  #busyUntil = 0;
  #breakHeld = false;

  constructor(readonly bus: SerialBus, readonly name: string, framing: SerialFraming) {
    this.framing = { ...DEFAULT_FRAMING, ...framing };
  }

  /** When the last byte queued by this tap will have left the wire. */
  get busyUntil(): number {
    return this.#busyUntil;
  }

  get breakHeld(): boolean {
    return this.#breakHeld;
  }

  setFraming(framing: Partial<SerialFraming>): void {
    this.framing = { ...this.framing, ...framing };
  }

  /** Sends bytes after whatever this tap is still sending; returns the time the last one lands. */
  send(bytes: Uint8Array, error?: LineError): number {
    const scheduler = this.bus.scheduler;
    const start = Math.max(scheduler.now, this.#busyUntil);
    const end = start + bytes.length * characterTimeMs(this.framing);
    this.#busyUntil = end;
    this.bus.transmit(this, bytes.slice(), start, end, error);
    return end;
  }

  /** Holds the line in the space state (a break), or releases it. */
  holdBreak(active: boolean): void {
    if (this.#breakHeld === active) return;
    this.#breakHeld = active;
    this.bus.breakChanged(this, active);
  }
}

export class SerialBus {
  readonly taps: SerialTap[] = [];
  #inFlight: Transmission[] = [];
  /** Bytes that reached a receiver intact, for statistics. */
  bytesDelivered = 0;
  collisions = 0;

  constructor(readonly scheduler: Scheduler, readonly name: string) {}

  tap(name: string, framing: SerialFraming = DEFAULT_FRAMING): SerialTap {
    const tap = new SerialTap(this, name, framing);
    this.taps.push(tap);
    return tap;
  }

  /** True while any tap holds a break. */
  get held(): boolean {
    return this.taps.some((tap) => tap.breakHeld);
  }

  transmit(from: SerialTap, bytes: Uint8Array, start: number, end: number, error?: LineError): void {
    const transmission: Transmission = { from, start, end, collided: false };
    this.#inFlight = this.#inFlight.filter((t) => t.end > this.scheduler.now);
    for (const other of this.#inFlight) {
      if (other.from !== from && other.start < end && start < other.end) {
        other.collided = true;
        transmission.collided = true;
        this.collisions++;
      }
    }
    this.#inFlight.push(transmission);
    const sentWith = { ...from.framing };
    this.scheduler.at(end, () => this.#deliver(transmission, bytes, sentWith, error));
  }

  breakChanged(from: SerialTap, active: boolean): void {
    for (const tap of this.taps) {
      if (tap !== from) tap.listener?.onBreak?.(active);
    }
  }

  #deliver(transmission: Transmission, bytes: Uint8Array, sentWith: Required<SerialFraming>, error?: LineError): void {
    for (const tap of this.taps) {
      if (tap === transmission.from || !tap.listener) continue;
      if (transmission.collided || this.#heldByOther(transmission.from)) {
        tap.listener.onError?.("framing");
        tap.listener.onBytes(garble(bytes));
        continue;
      }
      if (error) {
        tap.listener.onError?.(error);
        continue;
      }
      if (!sameFraming(sentWith, tap.framing)) {
        tap.listener.onError?.("framing");
        tap.listener.onBytes(garble(bytes));
        continue;
      }
      const mask = tap.framing.dataBits === 7 ? 0x7f : 0xff;
      const received = bytes.map((b) => b & mask);
      this.bytesDelivered += received.length;
      tap.listener.onBytes(received);
    }
  }

  #heldByOther(sender: SerialTap): boolean {
    return this.taps.some((tap) => tap !== sender && tap.breakHeld);
  }
}

/** What a receiver samples when the bits on the wire are not the frames it expects. */
function garble(bytes: Uint8Array): Uint8Array {
  return bytes.map((b, i) => (b * 37 + 11 + i * 101) & 0xff);
}
