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

export class LineEditor {
  #state = State.Text;
  #chars: number[] = [];
  #overflow = false;
  /** The first reason this line cannot run, if any. */
  #refusal: string | undefined;
  #escapeLength = 0;

  constructor(readonly events: LineEvents, readonly maxLine = MAX_LINE) {}

  /** The printable characters typed so far on the current line (to redraw it after trace output). */
  get pending(): string {
    return this.#overflow || this.#refusal ? "" : String.fromCharCode(...this.#chars);
  }

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.#byte(bytes[i]);
  }

  /** Forgets the partial line (the terminal went away mid-line). */
  reset(): void {
    this.#clearLine();
    this.#state = State.Text;
  }

  #byte(byte: number): void {
    // A terminator always ends the line, even inside an escape sequence, so that a stray ESC can
    // never swallow the next command.
    if (byte === CR || byte === LF) {
      const pairedWith = byte === CR ? State.AfterLf : State.AfterCr;
      if (this.#state === pairedWith) {
        this.#state = State.Text;
        return;
      }
      this.#state = byte === CR ? State.AfterCr : State.AfterLf;
      this.#endLine();
      return;
    }
    switch (this.#state) {
      case State.Escape:
        this.#state = byte === 0x5b ? State.Csi : byte === 0x4f ? State.Ss3 : State.Text;
        this.#escapeLength = 0;
        return;
      case State.Csi:
        if (byte >= 0x40 && byte <= 0x7e) this.#state = State.Text;
        else if (byte < 0x20 || byte > 0x3f || ++this.#escapeLength > MAX_ESCAPE) this.#state = State.Text;
        return;
      case State.Ss3:
        this.#state = State.Text;
        return;
      default:
        this.#state = State.Text;
    }
    this.#character(byte);
  }

  #character(byte: number): void {
    if (byte >= 0x20 && byte < DEL) return this.#insert(byte);
    switch (byte) {
      case TAB:
        return this.#insert(0x20);
      case BS:
      case DEL:
        return this.#erase();
      case CTRL_C:
        this.#clearLine();
        return this.events.interrupt();
      case XON:
      case XOFF:
        // Software flow control from the terminal, not part of the line.
        return;
      case ESC:
        this.#state = State.Escape;
        return this.#refuse("escape sequence (arrow or function key)");
      case NUL:
        return this.#refuse("NUL byte");
      default:
        return this.#refuse(byte < 0x20 ? `control character 0x${hex(byte)}` : `non-ASCII byte 0x${hex(byte)}`);
    }
  }

  #insert(byte: number): void {
    if (this.#overflow) return;
    if (this.#chars.length >= this.maxLine) {
      this.#overflow = true;
      return;
    }
    this.#chars.push(byte);
    this.events.echo(String.fromCharCode(byte));
  }

  #erase(): void {
    if (this.#overflow || !this.#chars.length) return;
    this.#chars.pop();
    this.events.echo("\b \b");
  }

  #refuse(reason: string): void {
    if (this.#refusal === undefined) this.#refusal = `${reason} at column ${this.#chars.length + 1}`;
  }

  #endLine(): void {
    const overflow = this.#overflow;
    const refusal = this.#refusal;
    const text = String.fromCharCode(...this.#chars);
    this.#clearLine();
    if (overflow) this.events.refused(`line longer than ${this.maxLine} characters`);
    else if (refusal !== undefined) this.events.refused(refusal);
    else this.events.line(text);
  }

  #clearLine(): void {
    this.#chars = [];
    this.#overflow = false;
    this.#refusal = undefined;
  }
}

function hex(byte: number): string {
  return (byte < 16 ? "0" : "") + byte.toString(16).toUpperCase();
}
