/**
 * Serial test worlds in virtual time: a board-side PortSerial on one end of a simulated line and
 * a peer tap on the other, through either a simulated Moddable native UART or a simulated
 * SC16IS752 channel.
 */
import type { SerialIO, SerialOptions } from "../../../modules/platform/io.js";
import { PinBank } from "../../../hosts/sim/board-io.js";
import { Scheduler } from "../../../hosts/sim/scheduler.js";
import { SerialBus, type SerialTap } from "../../../hosts/sim/serial-bus.js";
import { NativeUart, type NativeUartWiring } from "../../../hosts/moddable/native-uart.js";
import { PortSerial } from "../../../hosts/moddable/port-serial.js";
import { Sc16is7xx, serviceBridges, type BridgeChannelOptions } from "../../../hosts/moddable/sc16is7xx.js";
import type { Framing, UartEvents } from "../../../hosts/moddable/uart-port.js";
import { simModdableSerial, type SimSerialChip } from "./sim-moddable-serial.js";
import { SimSc16is752 } from "./sim-sc16is752.js";

/** What the peer saw, with virtual times. */
export interface PeerLog {
  bytes: number[];
  /** Virtual time at which each chunk arrived. */
  arrivals: number[];
  breaks: Array<{ active: boolean; at: number }>;
}

export function listenAsPeer(scheduler: Scheduler, tap: SerialTap): PeerLog {
  const log: PeerLog = { bytes: [], arrivals: [], breaks: [] };
  tap.listener = {
    onBytes: (bytes) => {
      for (const b of bytes) log.bytes.push(b);
      log.arrivals.push(scheduler.now);
    },
    onBreak: (active) => log.breaks.push({ active, at: scheduler.now }),
  };
  return log;
}

export interface SerialWorld {
  scheduler: Scheduler;
  peer: SerialTap;
  peerLog: PeerLog;
  reported: unknown[];
  open(options: SerialOptions): SerialIO;
}

function timers(scheduler: Scheduler) {
  return {
    now: () => scheduler.now,
    after: (ms: number, callback: () => void) => {
      const event = scheduler.after(ms, callback);
      return () => scheduler.cancel(event);
    },
  };
}

export const TX_PIN = 17;

export interface NativeWorld extends SerialWorld {
  chip: SimSerialChip;
}

/** A board UART (ESP32-like: `fifoBytes` 128, 8N1 only unless `sevenBitParity`). */
export function nativeWorld(options: {
  fifoBytes: number;
  sevenBitParity: boolean;
  checkFraming: (framing: Framing) => string | undefined;
}): NativeWorld {
  const scheduler = new Scheduler();
  const line = new SerialBus(scheduler, "line", "full");
  const mcu = line.tap("mcu");
  const peer = line.tap("peer", { baud: 115200 });
  const chip: SimSerialChip = { scheduler, lines: new Map([[TX_PIN, mcu]]), fifoBytes: options.fifoBytes, sevenBitParity: options.sevenBitParity, opened: [] };
  const wiring: NativeUartWiring = {
    Serial: simModdableSerial(chip),
    transmit: TX_PIN,
    receive: 16,
    txCapacity: options.fifoBytes,
    checkFraming: options.checkFraming,
    holdLow(pin) {
      if (pin !== TX_PIN) throw new Error(`held pin ${pin}, not the TX pin`);
      if (mcu.listener) throw new Error("TX pin driven while the UART still owns it");
      mcu.holdBreak(true);
      return { close: () => mcu.holdBreak(false) };
    },
    ...timers(scheduler),
  };
  const reported: unknown[] = [];
  const host = {
    open: (_role: string, framing: Framing, events: UartEvents) => new NativeUart(wiring, framing, events),
    defer: (callback: () => void) => { scheduler.after(0, callback); },
    report: (error: unknown) => { reported.push(error); },
  };
  return {
    scheduler, peer, peerLog: listenAsPeer(scheduler, peer), reported, chip,
    open: (serialOptions) => new PortSerial(serialOptions, host),
  };
}

export interface BridgeWorld extends SerialWorld {
  chip: SimSc16is752;
  bridge: Sc16is7xx;
}

export const IRQ_PIN = 39;

/** Channel `channel` of a simulated SC16IS752 wired to a half-duplex bus with one peer. */
export function bridgeWorld(channel: 0 | 1, channelOptions: BridgeChannelOptions = {}): BridgeWorld {
  const scheduler = new Scheduler();
  const pins = new PinBank(scheduler);
  const busA = new SerialBus(scheduler, "A", "half");
  const busB = new SerialBus(scheduler, "B", "half");
  const chip = new SimSc16is752(scheduler, pins, IRQ_PIN, [busA.tap("bridge A"), busB.tap("bridge B")]);
  const peer = (channel === 0 ? busA : busB).tap("peer");
  const bridge = new Sc16is7xx(chip.bus, timers(scheduler));
  // What the host's Digital input on the IRQ line does: service on each falling edge.
  pins.watch(IRQ_PIN, (level) => {
    if (level === 0) scheduler.after(0, () => serviceBridges([bridge], () => pins.level(IRQ_PIN)));
  });
  const reported: unknown[] = [];
  const host = {
    open: (_role: string, framing: Framing, events: UartEvents) => bridge.open(channel, framing, events, channelOptions),
    defer: (callback: () => void) => { scheduler.after(0, callback); },
    report: (error: unknown) => { reported.push(error); },
  };
  return {
    scheduler, peer, peerLog: listenAsPeer(scheduler, peer), reported, chip, bridge,
    open: (serialOptions) => new PortSerial(serialOptions, host),
  };
}

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
export const text = (bytes: ArrayLike<number>): string => String.fromCharCode(...Array.from(bytes));
