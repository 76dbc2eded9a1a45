/**
 * Simulated serial wiring with real timing: a byte takes (start + data + parity + stop) bits at
 * the sender's baud rate to cross, a sender cannot outrun its line, and a receiver whose framing
 * differs from the sender's gets garbage and framing errors, as on a real UART. A bus joins any
 * number of taps (a point-to-point line is a bus of two); overlapping transmissions collide on a
 * half-duplex bus (RS-485, SDI-12), never on a full-duplex line with a wire per direction.
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

function parityBit(value: number, parity: "even" | "odd"): number {
  let ones = 0;
  for (let v = value; v; v >>= 1) ones += v & 1;
  return parity === "even" ? ones & 1 : (ones & 1) ^ 1;
}

/**
 * What a UART framed as `to` reads from characters sent framed as `from` at the same baud, bit
 * for bit: 7E1 and 8N1 both put ten bits on the wire, so 8N1 reads a 7E1 character with its
 * parity bit as bit 7, and 7E1 checks the eighth bit of an 8N1 character as parity. A character
 * whose bits fail the receiver's parity or stop bit is dropped with that error. Undefined when
 * the frames cannot line up (another baud, or the receiver expects more bits than were sent).
 */
export function receiveCharacters(bytes: Uint8Array, from: Required<SerialFraming>, to: Required<SerialFraming>): { bytes: Uint8Array; errors: LineError[] } | undefined {
  if (from.baud !== to.baud) return undefined;
  const sentBits = from.dataBits + (from.parity === "none" ? 0 : 1) + from.stopBits;
  if (to.dataBits + (to.parity === "none" ? 0 : 1) + 1 > sentBits) return undefined;
  const out: number[] = [];
  const errors: LineError[] = [];
  for (const byte of bytes) {
    const data = byte & ((1 << from.dataBits) - 1);
    let bits = data;
    let length = from.dataBits;
    if (from.parity !== "none") bits |= parityBit(data, from.parity) << length++;
    for (let stop = 0; stop < from.stopBits; stop++) bits |= 1 << length++;
    const value = bits & ((1 << to.dataBits) - 1);
    let at = to.dataBits;
    if (to.parity !== "none" && ((bits >> at++) & 1) !== parityBit(value, to.parity)) {
      errors.push("parity");
      continue;
    }
    if (((bits >> at) & 1) === 0) {
      errors.push("framing");
      continue;
    }
    out.push(value);
  }
  return { bytes: Uint8Array.from(out), errors };
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

  constructor(readonly scheduler: Scheduler, readonly name: string, readonly duplex: "half" | "full" = "half") {}

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
    for (const other of this.duplex === "half" ? this.#inFlight : []) {
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
      const received = receiveCharacters(bytes, sentWith, tap.framing);
      if (!received) {
        tap.listener.onError?.("framing");
        tap.listener.onBytes(garble(bytes));
        continue;
      }
      for (const kind of received.errors) tap.listener.onError?.(kind);
      if (!received.bytes.length) continue;
      this.bytesDelivered += received.bytes.length;
      tap.listener.onBytes(received.bytes);
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
