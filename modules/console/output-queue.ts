/**
 * Bounded output towards the terminal. The serial port takes at most its TX buffer and throws
 * "output full" beyond it, so text waits here until the port says it is writable again.
 *
 * When a terminal cannot keep up, the least important output goes first: trace lines are dropped
 * (and counted) once the backlog passes TRACE_LIMIT, keystroke echo past ECHO_LIMIT. Replies are
 * never dropped: the console starts no command while the backlog exceeds REPLY_GATE (the lines
 * wait their turn), which bounds what replies can pile up. HARD_LIMIT only guards memory if a
 * caller breaks that rule.
 */

export type OutputKind = "reply" | "echo" | "trace";

export const TRACE_LIMIT = 1024;
export const ECHO_LIMIT = 2048;
export const REPLY_GATE = 2048;
export const HARD_LIMIT = 8192;
/** Bytes handed to the port per write: small enough to fit a partly full TX buffer. */
const WRITE_CHUNK = 256;

export interface OutputStats {
  droppedTraceLines: number;
  droppedEchoBytes: number;
  droppedReplyBytes: number;
}

export class OutputQueue {
  readonly stats: OutputStats = { droppedTraceLines: 0, droppedEchoBytes: 0, droppedReplyBytes: 0 };
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  /** The port refused a write; wait for its next writable notification. */
  #blocked = false;

  /** `write` is the port's write; it may throw when the port's buffer is full. */
  constructor(readonly write: (bytes: Uint8Array) => void) {}

  /** Bytes waiting here (not yet accepted by the port). */
  get backlog(): number {
    return this.#bytes;
  }

  /** Queues terminal-safe text (see terminalText); returns false if it was dropped. */
  push(kind: OutputKind, text: string): boolean {
    const limit = kind === "trace" ? TRACE_LIMIT : kind === "echo" ? ECHO_LIMIT : HARD_LIMIT;
    if (this.#bytes + text.length > limit) {
      if (kind === "trace") this.stats.droppedTraceLines++;
      else if (kind === "echo") this.stats.droppedEchoBytes += text.length;
      else this.stats.droppedReplyBytes += text.length;
      return false;
    }
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0x7f;
    this.#chunks.push(bytes);
    this.#bytes += bytes.length;
    this.#drain();
    return true;
  }

  /** The port can take more. */
  writable(): void {
    this.#blocked = false;
    this.#drain();
  }

  clear(): void {
    this.#chunks = [];
    this.#bytes = 0;
  }

  #drain(): void {
    while (!this.#blocked && this.#chunks.length) {
      const chunk = this.#chunks[0];
      const part = chunk.length > WRITE_CHUNK ? chunk.subarray(0, WRITE_CHUNK) : chunk;
      try {
        this.write(part);
      } catch {
        // "output full" (or a port gone away): keep the bytes and wait for onWritable.
        this.#blocked = true;
        return;
      }
      this.#bytes -= part.length;
      if (part.length === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(part.length);
    }
  }
}

/**
 * Makes one line safe to print: only printable ASCII reaches the terminal, so nothing a modem, a
 * sensor or a subsystem says can inject escape sequences or break the line structure. Other
 * characters are shown as \xNN (or ? beyond Latin-1).
 */
export function terminalText(line: string): string {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) out += line[i];
    else out += code < 0x100 ? `\\x${(code < 16 ? "0" : "") + code.toString(16)}` : "?";
  }
  return out;
}
