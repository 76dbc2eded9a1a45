/**
 * What the engine needs to know about one command: how long it may take, which lines belong
 * to its answer, and whether it has a data phase after a `>` prompt or a `CONNECT`.
 */
import type { FinalResult } from "./result-code.js";

export interface AtCommand {
  /** The command line without the trailing CR, e.g. `AT+CEREG?`. */
  text: string;
  /** Time from sending the line until the final result must have arrived. */
  timeoutMs: number;
  /**
   * Prefixes of the information lines that answer this command (`+CEREG:`). Lines with these
   * prefixes are taken as the answer even when a URC has the same prefix, unless `accept`
   * refuses them. Without prefixes, every line that is not a URC or an echo is the answer.
   */
  responsePrefixes?: readonly string[];
  /** Tells an answer line from a URC sharing its prefix (e.g. `+CEREG: 0,1` vs `+CEREG: 1`). */
  accept?: (line: string) => boolean;
  /** Lines that end the command as failed although they are no V.250 final result. */
  abortPrefixes?: readonly string[];
  /** Bytes written after the `>` prompt or the `CONNECT` intermediate result. */
  send?: { after: "prompt" | "connect"; data: Uint8Array; terminator?: number };
  /**
   * Raw bytes read after `CONNECT` (AT+QHTTPREAD). Without a length the engine reads until the
   * `<CR><LF>OK<CR><LF>` that ends the data. With `headFirst`, an HTTP response head (up to its
   * empty line) comes before the `length` counted bytes and is part of the data.
   */
  receive?: { length?: number; headFirst?: boolean };
}

export interface AtResult {
  final: FinalResult;
  /** The answer's information lines, in order. */
  lines: string[];
  /** Raw bytes of a receive phase. */
  data?: Uint8Array;
}
