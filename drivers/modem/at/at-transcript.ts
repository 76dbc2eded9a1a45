/**
 * A bounded record of the AT conversation for diagnostics. Every line passes through the
 * redactor first: the MQTT password, the APN password and any other registered secret are
 * replaced before the text is stored or traced, whichever direction it travelled (the modem
 * echoes commands and answers read commands such as `AT+QICSGP=1` with the stored password).
 */
export type TranscriptDirection = "tx" | "rx" | "note";

export interface TranscriptEntry {
  /** Monotonic milliseconds. */
  atMs: number;
  direction: TranscriptDirection;
  text: string;
}

export const REDACTED = "***";

export class AtTranscript {
  readonly capacity: number;
  readonly #now: () => number;
  readonly #sink: ((line: string) => void) | undefined;
  readonly #entries: TranscriptEntry[] = [];
  #secrets: string[] = [];

  constructor(now: () => number, options: { capacity?: number; sink?: (line: string) => void } = {}) {
    this.#now = now;
    this.capacity = options.capacity ?? 200;
    this.#sink = options.sink;
  }

  /** Registers a value that must never appear in the transcript or the trace. */
  addSecret(secret: string): void {
    if (!secret || this.#secrets.indexOf(secret) >= 0) return;
    this.#secrets.push(secret);
    // Longest first, so that a secret containing another is replaced whole.
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.indexOf(secret) >= 0) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  record(direction: TranscriptDirection, text: string): void {
    const entry: TranscriptEntry = { atMs: this.#now(), direction, text: this.redact(text) };
    this.#entries.push(entry);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
    this.#sink?.(`modem ${direction === "tx" ? ">" : direction === "rx" ? "<" : "#"} ${entry.text}`);
  }

  entries(): TranscriptEntry[] {
    return this.#entries.slice();
  }
}
