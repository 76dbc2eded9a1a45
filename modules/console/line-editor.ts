/**
 * Turns the raw bytes a terminal sends into whole command lines. Whatever the terminal does
 * (split packets, mixed CR/LF, pasted garbage, arrow keys, floods), the editor holds at most
 * MAX_LINE characters and hands on either a clean printable-ASCII line or a refusal: a line is
 * never cut short and executed, and no received byte is ever echoed unless it is printable ASCII.
 */

export const MAX_LINE = 128;
/** Longest escape sequence we consume before giving up on it (CSI parameters are short). */
const MAX_ESCAPE = 16;

const NUL = 0x00;
const CTRL_C = 0x03;
const BS = 0x08;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const XON = 0x11;
const XOFF = 0x13;
const ESC = 0x1b;
const DEL = 0x7f;

/** What the editor tells its owner; called synchronously from feed(). */
export interface LineEvents {
  /** Printable text to show back to the technician (their own keystrokes, or erasure). */
  echo(text: string): void;
  /** A complete line: printable ASCII only, at most MAX_LINE characters, possibly empty. */
  line(text: string): void;
  /** A line ended that must not run; `reason` says why. The whole line is gone. */
  refused(reason: string): void;
  /** Ctrl-C: the partial line is gone. */
  interrupt(): void;
}

/** Where the editor is in the byte stream. */
const enum State {
  Text,
  /** Just after CR: a LF here completes CRLF and is swallowed. */
  AfterCr,
  /** Just after LF: a CR here completes LFCR and is swallowed. */
  AfterLf,
  /** After ESC: the next byte picks the sequence type. */
  Escape,
  /** Inside ESC [ ... until a final byte 0x40..0x7e. */
  Csi,
  /** After ESC O: one more byte (application cursor keys, F1-F4). */
  Ss3,
}

/**
 * Members are TypeScript-private rather than #private: this runs once per received byte, and for
 * the ES2020 target esbuild turns #fields into WeakMap lookups, which made each byte cost about
 * 15 times more on XS.
 */
export class LineEditor {
  private state = State.Text;
  private chars: number[] = [];
  private overflow = false;
  /** The first reason this line cannot run, if any. */
  private refusal: string | undefined;
  private escapeLength = 0;
  /** Echo gathered during one feed(), handed on in one piece (one port write, not one per byte). */
  private echo = "";

  constructor(readonly events: LineEvents, readonly maxLine = MAX_LINE) {}

  /** The printable characters typed so far on the current line (to redraw it after trace output). */
  get pending(): string {
    return this.overflow || this.refusal ? "" : String.fromCharCode(...this.chars);
  }

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i]);
    this.flushEcho();
  }

  /** Forgets the partial line (the terminal went away mid-line). */
  reset(): void {
    this.clearLine();
    this.state = State.Text;
  }

  private byte(byte: number): void {
    // A terminator always ends the line, even inside an escape sequence, so that a stray ESC can
    // never swallow the next command.
    if (byte === CR || byte === LF) {
      const pairedWith = byte === CR ? State.AfterLf : State.AfterCr;
      if (this.state === pairedWith) {
        this.state = State.Text;
        return;
      }
      this.state = byte === CR ? State.AfterCr : State.AfterLf;
      this.endLine();
      return;
    }
    switch (this.state) {
      case State.Escape:
        this.state = byte === 0x5b ? State.Csi : byte === 0x4f ? State.Ss3 : State.Text;
        this.escapeLength = 0;
        return;
      case State.Csi:
        if (byte >= 0x40 && byte <= 0x7e) this.state = State.Text;
        else if (byte < 0x20 || byte > 0x3f || ++this.escapeLength > MAX_ESCAPE) this.state = State.Text;
        return;
      case State.Ss3:
        this.state = State.Text;
        return;
      default:
        this.state = State.Text;
    }
    this.character(byte);
  }

  private character(byte: number): void {
    if (byte >= 0x20 && byte < DEL) return this.insert(byte);
    switch (byte) {
      case TAB:
        return this.insert(0x20);
      case BS:
      case DEL:
        return this.erase();
      case CTRL_C:
        this.clearLine();
        this.flushEcho();
        return this.events.interrupt();
      case XON:
      case XOFF:
        // Software flow control from the terminal, not part of the line.
        return;
      case ESC:
        this.state = State.Escape;
        return this.refuse(byte);
      default:
        return this.refuse(byte);
    }
  }

  private insert(byte: number): void {
    if (this.overflow) return;
    if (this.chars.length >= this.maxLine) {
      this.overflow = true;
      return;
    }
    this.chars.push(byte);
    this.echo += String.fromCharCode(byte);
  }

  private erase(): void {
    if (this.overflow || !this.chars.length) return;
    this.chars.pop();
    this.echo += "\b \b";
  }

  /** Remembers the first byte that dooms the line (the reason is built once, not per byte of a flood). */
  private refuse(byte: number): void {
    if (this.refusal !== undefined) return;
    const what = byte === ESC ? "escape sequence (arrow or function key)"
      : byte === NUL ? "NUL byte"
      : `${byte < 0x20 ? "control character" : "non-ASCII byte"} 0x${hex(byte)}`;
    this.refusal = `${what} at column ${this.chars.length + 1}`;
  }

  private flushEcho(): void {
    if (!this.echo) return;
    const text = this.echo;
    this.echo = "";
    this.events.echo(text);
  }

  private endLine(): void {
    this.flushEcho();
    const overflow = this.overflow;
    const refusal = this.refusal;
    const text = String.fromCharCode(...this.chars);
    this.clearLine();
    if (overflow) this.events.refused(`line longer than ${this.maxLine} characters`);
    else if (refusal !== undefined) this.events.refused(refusal);
    else this.events.line(text);
  }

  private clearLine(): void {
    this.chars = [];
    this.overflow = false;
    this.refusal = undefined;
  }
}

function hex(byte: number): string {
  return (byte < 16 ? "0" : "") + byte.toString(16).toUpperCase();
}
