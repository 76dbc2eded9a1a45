/**
 * The AT command engine: commands are queued and sent one at a time; every received line goes
 * through one decision list:
 *   1. a final result code ends the current command (any echo or noise before it is ignored);
 *   2. `CONNECT` starts the current command's data phase;
 *   3. the command's abort lines end it as failed, its answer prefixes collect the line;
 *   4. the permanent URC table (which may arrive in the middle of any command);
 *   5. for a command without answer prefixes, any other line except its echo is the answer;
 *   6. the rest is stray (echo with ATE1, garbage on the line) and only counted.
 * The `>` prompt and raw data are handled by the receiver outside the line rules.
 */
import type { TimerHandle, Timers } from "../../../modules/platform/clock.js";
import type { AtCommand, AtResult } from "./at-command.js";
import { AtReceiver } from "./at-receiver.js";
import type { AtTranscript } from "./at-transcript.js";
import { parseFinal, type FinalResult } from "./result-code.js";
import { utf8Bytes } from "./text.js";
import { UrcTable } from "./urc-table.js";

/** Where the engine writes; the serial link (or a test) delivers received bytes to `receive`. */
export interface AtLink {
  write(bytes: Uint8Array): void;
}

export interface AtEngineStats {
  commands: number;
  timeouts: number;
  /** Timeouts since the last command that got any final result: the recovery ladder's signal. */
  consecutiveTimeouts: number;
  strayLines: number;
  echoLines: number;
  overflows: number;
  urcs: number;
}

interface Active {
  command: AtCommand;
  done: (result: AtResult) => void;
  lines: string[];
  data: Uint8Array | undefined;
  timer: TimerHandle;
  dataSent: boolean;
  receiving: boolean;
}

interface Queued {
  command: AtCommand;
  done: (result: AtResult) => void;
}

const CONNECT = /^CONNECT( |$)/;
const ECHO = /^AT/i;

export class AtEngine {
  readonly urcs: UrcTable;
  readonly transcript: AtTranscript;
  readonly stats: AtEngineStats = {
    commands: 0, timeouts: 0, consecutiveTimeouts: 0, strayLines: 0, echoLines: 0, overflows: 0, urcs: 0,
  };

  readonly #link: AtLink;
  readonly #timers: Timers;
  readonly #receiver: AtReceiver;
  #queue: Queued[] = [];
  #active: Active | undefined;

  constructor(link: AtLink, timers: Timers, transcript: AtTranscript) {
    this.#link = link;
    this.#timers = timers;
    this.transcript = transcript;
    this.urcs = new UrcTable(timers);
    this.#receiver = new AtReceiver({
      onLine: (text, payload) => this.#onLine(text, payload),
      onPrompt: () => this.#onPrompt(),
      onBlock: (data) => this.#onBlock(data),
      onOverflow: () => {
        this.stats.overflows++;
        this.transcript.record("note", "line overflow dropped");
      },
    }, (partial) => this.urcs.payloadLength(partial));
  }

  /** Queues a command; `done` is called exactly once with its result. */
  send(command: AtCommand, done: (result: AtResult) => void): void {
    this.#queue.push({ command, done });
    this.#startNext();
  }

  receive(bytes: Uint8Array): void {
    this.#receiver.push(bytes);
  }

  /** Ends the current and every queued command with `aborted`, and forgets partial input. */
  abortAll(reason: string): void {
    const victims: Queued[] = [];
    if (this.#active) {
      this.#timers.clear(this.#active.timer);
      victims.push(this.#active);
      this.#active = undefined;
    }
    victims.push(...this.#queue.splice(0));
    this.#receiver.reset();
    for (const victim of victims) victim.done({ final: { kind: "aborted", text: reason }, lines: [] });
  }

  #startNext(): void {
    if (this.#active) return;
    const next = this.#queue.shift();
    if (!next) return;
    const active: Active = {
      command: next.command,
      done: next.done,
      lines: [],
      data: undefined,
      dataSent: false,
      receiving: false,
      timer: this.#timers.set(() => this.#onTimeout(active), next.command.timeoutMs),
    };
    this.#active = active;
    this.stats.commands++;
    this.#receiver.promptArmed = next.command.send?.after === "prompt";
    this.transcript.record("tx", next.command.text);
    this.#link.write(utf8Bytes(`${next.command.text}\r`));
  }

  #onTimeout(active: Active): void {
    if (this.#active !== active) return;
    this.stats.timeouts++;
    this.stats.consecutiveTimeouts++;
    this.#receiver.reset();
    this.transcript.record("note", `timeout after ${active.command.timeoutMs} ms: ${active.command.text}`);
    this.#finish({ kind: "timeout", text: `no answer in ${active.command.timeoutMs} ms` });
  }

  #finish(final: FinalResult): void {
    const active = this.#active;
    if (!active) return;
    this.#timers.clear(active.timer);
    this.#active = undefined;
    this.#receiver.promptArmed = false;
    if (final.kind !== "timeout" && final.kind !== "aborted") this.stats.consecutiveTimeouts = 0;
    const result: AtResult = { final, lines: active.lines };
    if (active.data) result.data = active.data;
    active.done(result);
    this.#startNext();
  }

  #onLine(text: string, payload: Uint8Array | undefined): void {
    this.transcript.record("rx", payload ? `${text} [+${payload.length} bytes]` : text);
    const active = this.#active;
    if (active) {
      const final = parseFinal(text);
      if (final) return this.#finish(final);
      if (CONNECT.test(text) && this.#startDataPhase(active)) return;
      const command = active.command;
      if (command.abortPrefixes && command.abortPrefixes.some((p) => text.startsWith(p))) {
        return this.#finish({ kind: "error", text });
      }
      if (command.responsePrefixes && command.responsePrefixes.some((p) => text.startsWith(p)) &&
          (!command.accept || command.accept(text))) {
        active.lines.push(text);
        return;
      }
    }
    if (this.urcs.dispatch(text, payload)) {
      this.stats.urcs++;
      return;
    }
    if (ECHO.test(text)) {
      this.stats.echoLines++;
      return;
    }
    if (active && !active.command.responsePrefixes) {
      active.lines.push(text);
      return;
    }
    this.stats.strayLines++;
  }

  #startDataPhase(active: Active): boolean {
    const { send, receive } = active.command;
    if (send && send.after === "connect" && !active.dataSent) {
      this.#writeData(active);
      return true;
    }
    if (receive && !active.receiving) {
      active.receiving = true;
      this.#receiver.expectBlock(receive.length, receive.headFirst ?? false);
      return true;
    }
    return false;
  }

  #onPrompt(): void {
    const active = this.#active;
    this.transcript.record("rx", ">");
    if (active && active.command.send?.after === "prompt" && !active.dataSent) this.#writeData(active);
  }

  #writeData(active: Active): void {
    const send = active.command.send!;
    active.dataSent = true;
    this.transcript.record("tx", `[${send.data.length} bytes${send.terminator !== undefined ? " + terminator" : ""}]`);
    this.#link.write(send.data);
    if (send.terminator !== undefined) this.#link.write(Uint8Array.of(send.terminator));
  }

  #onBlock(data: Uint8Array): void {
    this.transcript.record("rx", `[${data.length} bytes]`);
    const active = this.#active;
    if (active && active.receiving) active.data = data;
    else this.stats.strayLines++;
  }
}
