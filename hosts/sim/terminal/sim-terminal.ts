/**
 * A technician's terminal program on the other end of the logger's USB console. It sends what is
 * typed as a USB host does (CDC bulk packets of at most 64 bytes, one per 1 ms frame), so lines
 * arrive split across reads, and it records everything the logger prints. No Node dependency:
 * scenarios with a terminal also run inside XS; hosts/sim/node/ adapts it to real terminals.
 */
import type { Scheduler } from "../scheduler.js";
import type { SerialTap } from "../serial-bus.js";
import type { SerialPortName } from "../../../modules/platform/io.js";

export const USB_PACKET_BYTES = 64;
export const USB_FRAME_MS = 1;

/** What the terminal needs from the board: its scheduler and a tap on the console port. */
export interface ConsolePort {
  readonly scheduler: Scheduler;
  attach(port: SerialPortName, peerName: string): SerialTap;
}

export interface SimTerminalOptions {
  packetBytes?: number;
  packetGapMs?: number;
  /**
   * Called with every byte the logger prints (a real terminal's screen). Without it, output is
   * kept for take() and peek().
   */
  onOutput?: (bytes: Uint8Array) => void;
}

export class SimTerminal {
  readonly tap: SerialTap;
  readonly packetBytes: number;
  readonly packetGapMs: number;
  #unread = "";
  #nextPacketAt = 0;
  #bytesReceived = 0;

  constructor(readonly board: ConsolePort, options: SimTerminalOptions = {}) {
    this.packetBytes = options.packetBytes ?? USB_PACKET_BYTES;
    this.packetGapMs = options.packetGapMs ?? USB_FRAME_MS;
    this.tap = board.attach("console", "terminal");
    const onOutput = options.onOutput;
    this.tap.listener = {
      onBytes: (bytes) => {
        this.#bytesReceived += bytes.length;
        if (onOutput) onOutput(bytes);
        else this.#unread += latin1(bytes);
      },
    };
  }

  /** How many bytes the logger has printed so far. */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** Sends bytes in USB packets; each packet reaches the logger as one read. */
  send(bytes: Uint8Array): void {
    const scheduler = this.board.scheduler;
    for (let at = 0; at < bytes.length; at += this.packetBytes) {
      const packet = bytes.slice(at, at + this.packetBytes);
      const when = Math.max(scheduler.now, this.#nextPacketAt);
      this.#nextPacketAt = when + this.packetGapMs;
      scheduler.at(when, () => this.tap.send(packet));
    }
  }

  /** Types text; each character is one byte (Latin-1), as a raw-mode terminal sends it. */
  type(text: string): void {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    this.send(bytes);
  }

  /** What was printed since the last take(). */
  take(): string {
    const text = this.#unread;
    this.#unread = "";
    return text;
  }

  /** What was printed since the last take(), without consuming it. */
  peek(): string {
    return this.#unread;
  }
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
