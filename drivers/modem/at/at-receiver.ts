/**
 * The one receive state machine of the AT link. Bytes become lines (CR or LF ends a line, empty
 * lines are skipped); three data forms are handled outside the line rules:
 *  - the `>` prompt, recognised at the start of a line while a command waits for it (it has no
 *    line end), and the space that follows it;
 *  - a block of raw bytes after `CONNECT` (a counted length, or up to `<CR><LF>OK<CR><LF>`),
 *    optionally after an HTTP response head whose end (the empty line) is found first;
 *  - a counted payload inside a line (`+QMTRECV: 0,1,"t",5,"hello"`), whose length a URC
 *    announces in the line's header, so that payload bytes equal to CR, LF or `"` survive.
 */
import { utf8Text } from "./text.js";

export interface ReceiverEvents {
  onLine(text: string, payload: Uint8Array | undefined): void;
  onPrompt(): void;
  onBlock(data: Uint8Array): void;
  /** A line longer than the buffer was dropped. */
  onOverflow(): void;
}

/**
 * Called at each `"` of a line that starts with `+`: returns the length of the counted payload
 * that follows, or undefined when the text so far is no such header.
 */
export type InlinePayloadProbe = (partialLine: string) => number | undefined;

type Mode = "line" | "discard" | "inline" | "head" | "block" | "block-until-ok";

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const PLUS = 0x2b;
const PROMPT = 0x3e;
const SPACE = 0x20;
const OK_TRAILER = [CR, LF, 0x4f, 0x4b, CR, LF];

export class AtReceiver {
  static readonly maxLineBytes = 1024;
  static readonly maxBlockBytes = 64 * 1024;
  static readonly maxHeadBytes = 4096;

  /** Set by the engine while a command waits for its `>` prompt. */
  promptArmed = false;

  readonly #events: ReceiverEvents;
  readonly #probe: InlinePayloadProbe;
  readonly #line = new Uint8Array(AtReceiver.maxLineBytes);
  #lineLength = 0;
  #mode: Mode = "line";
  #data = new Uint8Array(0);
  #dataLength = 0;
  #dataWanted = 0;
  /** Counted bytes that follow the head being read. */
  #bodyLength = 0;
  #linePayload: Uint8Array | undefined;
  #skipLf = false;
  #skipSpace = false;

  constructor(events: ReceiverEvents, probe: InlinePayloadProbe) {
    this.#events = events;
    this.#probe = probe;
  }

  /**
   * Reads the next `length` raw bytes (or up to the OK trailer when undefined) as a block; with
   * `headFirst`, an HTTP head ending in an empty line comes before the counted bytes.
   */
  expectBlock(length: number | undefined, headFirst = false): void {
    if (length !== undefined && headFirst) {
      this.#startData(length + 512);
      this.#mode = "head";
      this.#bodyLength = length;
      return;
    }
    this.#startData(length === undefined ? 256 : length);
    this.#mode = length === undefined ? "block-until-ok" : "block";
    this.#dataWanted = length ?? 0;
    if (length === 0) this.#finishBlock(new Uint8Array(0));
  }

  /** Forgets any partial line or data (after a modem restart or an abort). */
  reset(): void {
    this.#lineLength = 0;
    this.#mode = "line";
    this.#linePayload = undefined;
    this.#skipLf = false;
    this.#skipSpace = false;
    this.promptArmed = false;
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (this.#skipLf) {
        this.#skipLf = false;
        if (byte === LF) continue;
      }
      switch (this.#mode) {
        case "line": this.#lineByte(byte); break;
        case "discard": if (byte === CR || byte === LF) this.#mode = "line"; break;
        case "inline": this.#inlineByte(byte); break;
        case "head": this.#headByte(byte); break;
        case "block": this.#blockByte(byte); break;
        case "block-until-ok": this.#untilOkByte(byte); break;
      }
    }
  }

  #lineByte(byte: number): void {
    if (this.#skipSpace) {
      this.#skipSpace = false;
      if (byte === SPACE) return;
    }
    if (byte === CR || byte === LF) {
      this.#skipLf = byte === CR;
      this.#endLine();
      return;
    }
    if (byte === PROMPT && this.#lineLength === 0 && this.promptArmed) {
      this.promptArmed = false;
      this.#skipSpace = true;
      this.#events.onPrompt();
      return;
    }
    if (this.#lineLength === this.#line.length) {
      this.#lineLength = 0;
      this.#linePayload = undefined;
      this.#mode = "discard";
      this.#events.onOverflow();
      return;
    }
    this.#line[this.#lineLength++] = byte;
    if (byte === QUOTE && this.#line[0] === PLUS && this.#linePayload === undefined) {
      const length = this.#probe(utf8Text(this.#line.subarray(0, this.#lineLength)));
      if (length !== undefined) this.#startInline(length);
    }
  }

  #startInline(length: number): void {
    if (length > AtReceiver.maxBlockBytes) {
      this.#lineLength = 0;
      this.#mode = "discard";
      this.#events.onOverflow();
      return;
    }
    this.#startData(length);
    this.#dataWanted = length;
    if (length === 0) this.#linePayload = new Uint8Array(0);
    else this.#mode = "inline";
  }

  #inlineByte(byte: number): void {
    this.#data[this.#dataLength++] = byte;
    if (this.#dataLength < this.#dataWanted) return;
    this.#linePayload = this.#data.slice(0, this.#dataLength);
    this.#mode = "line";
  }

  #headByte(byte: number): void {
    if (this.#dataLength === AtReceiver.maxHeadBytes) {
      this.#mode = "line";
      this.#events.onOverflow();
      return;
    }
    this.#append(byte);
    const end = this.#dataLength;
    const data = this.#data;
    if (end < 4 || data[end - 4] !== CR || data[end - 3] !== LF || data[end - 2] !== CR || data[end - 1] !== LF) return;
    this.#dataWanted = end + this.#bodyLength;
    if (this.#bodyLength === 0) return this.#finishBlock(data.slice(0, end));
    this.#grow(this.#dataWanted);
    this.#mode = "block";
  }

  #blockByte(byte: number): void {
    this.#data[this.#dataLength++] = byte;
    if (this.#dataLength === this.#dataWanted) this.#finishBlock(this.#data.slice(0, this.#dataLength));
  }

  #untilOkByte(byte: number): void {
    if (this.#dataLength >= AtReceiver.maxBlockBytes) {
      this.#mode = "line";
      this.#events.onOverflow();
      return;
    }
    this.#append(byte);
    const tail = this.#dataLength - OK_TRAILER.length;
    if (tail < 0) return;
    for (let k = 0; k < OK_TRAILER.length; k++) if (this.#data[tail + k] !== OK_TRAILER[k]) return;
    this.#finishBlock(this.#data.slice(0, tail));
    this.#events.onLine("OK", undefined);
  }

  #finishBlock(data: Uint8Array): void {
    this.#mode = "line";
    this.#events.onBlock(data);
  }

  /** Adds a byte to the data, doubling the buffer when it is full. */
  #append(byte: number): void {
    if (this.#dataLength === this.#data.length) this.#grow(this.#data.length * 2);
    this.#data[this.#dataLength++] = byte;
  }

  #grow(capacity: number): void {
    if (capacity <= this.#data.length) return;
    const bigger = new Uint8Array(capacity);
    bigger.set(this.#data.subarray(0, this.#dataLength));
    this.#data = bigger;
  }

  #startData(capacity: number): void {
    this.#data = new Uint8Array(Math.max(1, capacity));
    this.#dataLength = 0;
  }

  #endLine(): void {
    const length = this.#lineLength;
    const payload = this.#linePayload;
    this.#lineLength = 0;
    this.#linePayload = undefined;
    if (length === 0) return;
    const text = utf8Text(this.#line.subarray(0, length)).trim();
    if (text) this.#events.onLine(text, payload);
  }
}
