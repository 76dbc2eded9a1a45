/** A digital output that switches something on and off: a sensor power rail, a relay. */
import type { DigitalClass, DigitalIO } from "../../modules/platform/io.js";
import { DigitalMode } from "../../modules/platform/io.js";

export class SwitchedOutput {
  readonly #io: DigitalIO;
  readonly #activeLow: boolean;
  #on = false;

  /** Starts switched off. */
  constructor(Digital: DigitalClass, pin: number, activeLow: boolean) {
    this.#io = new Digital({ pin, mode: DigitalMode.Output });
    this.#activeLow = activeLow;
    this.#io.write(activeLow ? 1 : 0);
  }

  get on(): boolean {
    return this.#on;
  }

  set(on: boolean): void {
    this.#on = on;
    this.#io.write(on !== this.#activeLow ? 1 : 0);
  }

  /** Switches off, then releases the pin. */
  close(): void {
    this.set(false);
    this.#io.close();
  }
}
