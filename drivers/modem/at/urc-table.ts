/**
 * The permanent table of unsolicited result codes. Handlers are matched by line prefix and stay
 * registered for the life of the link; one-shot waiters (`waitFor`) let a sequence wait for the
 * URC that completes an asynchronous command (`+QMTOPEN: 0,0` after `OK`), with a time limit.
 */
import type { TimerHandle, Timers } from "../../../modules/platform/clock.js";

export interface UrcHandler {
  prefix: string;
  handle(line: string, payload: Uint8Array | undefined): void;
  /** For URCs with a counted payload: the payload length once `partialLine` is a full header. */
  payloadLength?(partialLine: string): number | undefined;
}

export interface UrcWait {
  cancel(): void;
}

interface Waiter {
  prefix: string;
  predicate: ((line: string) => boolean) | undefined;
  done: (line: string | undefined, payload?: Uint8Array) => void;
  timer: TimerHandle;
}

export class UrcTable {
  readonly #handlers: UrcHandler[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #timers: Timers;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  /** Registers a permanent handler; returns its removal. */
  add(handler: UrcHandler): () => void {
    this.#handlers.push(handler);
    return () => {
      const index = this.#handlers.indexOf(handler);
      if (index >= 0) this.#handlers.splice(index, 1);
    };
  }

  /**
   * Waits once for a URC starting with `prefix` (and accepted by `predicate`); `done` gets
   * undefined when `timeoutMs` passes first.
   */
  waitFor(
    prefix: string,
    timeoutMs: number,
    done: (line: string | undefined, payload?: Uint8Array) => void,
    predicate?: (line: string) => boolean,
  ): UrcWait {
    const waiter: Waiter = {
      prefix,
      predicate,
      done,
      timer: this.#timers.set(() => {
        if (this.#remove(waiter)) done(undefined);
      }, timeoutMs),
    };
    this.#waiters.push(waiter);
    return { cancel: () => { if (this.#remove(waiter)) this.#timers.clear(waiter.timer); } };
  }

  /** Delivers a URC line to the first matching waiter and to every matching handler. */
  dispatch(line: string, payload: Uint8Array | undefined): boolean {
    let claimed = false;
    for (const handler of this.#handlers.slice()) {
      if (line.startsWith(handler.prefix)) {
        claimed = true;
        handler.handle(line, payload);
      }
    }
    const waiter = this.#waiters.find((w) => line.startsWith(w.prefix) && (!w.predicate || w.predicate(line)));
    if (waiter) {
      this.#remove(waiter);
      this.#timers.clear(waiter.timer);
      waiter.done(line, payload);
      claimed = true;
    }
    return claimed;
  }

  /** Asks the handlers whether a partial line is the header of a counted payload. */
  payloadLength(partialLine: string): number | undefined {
    for (const handler of this.#handlers) {
      if (handler.payloadLength && partialLine.startsWith(handler.prefix)) {
        const length = handler.payloadLength(partialLine);
        if (length !== undefined) return length;
      }
    }
    return undefined;
  }

  /** Cancels every waiter, each seeing a timeout (used when the modem restarts). */
  cancelWaiters(): void {
    for (const waiter of this.#waiters.splice(0)) {
      this.#timers.clear(waiter.timer);
      waiter.done(undefined);
    }
  }

  #remove(waiter: Waiter): boolean {
    const index = this.#waiters.indexOf(waiter);
    if (index < 0) return false;
    this.#waiters.splice(index, 1);
    return true;
  }
}
