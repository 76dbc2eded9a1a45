/**
 * The platform's Timers over Moddable's `timer` module, which already has the same shape; the
 * adapter only gives each timer the numeric `id` the platform's handles carry, and keeps a
 * callback's exception from escaping into the native timer service.
 */
import type { TimerHandle, Timers } from "../../modules/platform/clock.js";

/** What the firmware uses of Moddable's `Timer`. */
export interface ModdableTimer<T> {
  set(callback: (timer: T) => void, ms?: number, repeatMs?: number): T;
  clear(timer: T | undefined): void;
}

export class TimerAdapter<T> implements Timers {
  readonly #timer: ModdableTimer<T>;
  readonly #report: (error: unknown) => void;
  readonly #native = new Map<number, T>();
  #nextId = 1;

  /** `report` receives what a callback threw; the host traces it (the sim treats it as a crash). */
  constructor(timer: ModdableTimer<T>, report: (error: unknown) => void) {
    this.#timer = timer;
    this.#report = report;
  }

  set(callback: (timer: TimerHandle) => void, ms = 0, repeatMs?: number): TimerHandle {
    const handle: TimerHandle = { id: this.#nextId++ };
    const repeating = repeatMs !== undefined && repeatMs > 0;
    const fire = () => {
      if (!repeating) this.#native.delete(handle.id);
      try {
        callback(handle);
      } catch (error) {
        this.#report(error);
      }
    };
    this.#native.set(handle.id, repeating ? this.#timer.set(fire, ms, repeatMs) : this.#timer.set(fire, ms));
    return handle;
  }

  repeat(callback: (timer: TimerHandle) => void, ms: number): TimerHandle {
    return this.set(callback, ms, ms);
  }

  clear(timer: TimerHandle | undefined): void {
    if (!timer) return;
    const native = this.#native.get(timer.id);
    if (native === undefined) return;
    this.#native.delete(timer.id);
    this.#timer.clear(native);
  }
}
