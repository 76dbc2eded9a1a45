/**
 * PulseCount from a Digital input's edge interrupt, for the reference boards' pulse inputs
 * (rain gauges, reed-switch and open-collector meters: a few pulses per second at most).
 *
 * Why not Moddable's `embedded:io/pulsecount`: on nRF52 it is the QDEC quadrature decoder (two
 * pins, direction from phase), not an edge counter; on ESP32 it configures the PCNT unit as a
 * quadrature decoder too, so with a single `signal` pin a rising edge counts +1 and the falling
 * edge -1 (inferred from the channel actions in `modules/io/pulsecount/esp32/_pulsecount.c`; not
 * measured on hardware). Faster inputs need the native counter described in docs/hardware.md.
 *
 * Limits of this counter, by construction:
 * - Moddable coalesces edges that arrive before JavaScript runs the callback into one call, so
 *   pulses closer together than the callback latency are undercounted;
 * - `filter` is a hold-off: an edge within `filter` ns of the last counted one is contact bounce
 *   and is ignored (1 ms is too short for a reed switch, 20 ms is usual).
 */
import type { DigitalClass, DigitalIO, PulseCountIO, PulseCountOptions } from "../../modules/platform/io.js";
import { DigitalEdge, DigitalMode } from "../../modules/platform/io.js";

export class EdgePulseCount implements PulseCountIO {
  readonly #input: DigitalIO;
  readonly #holdOffMs: number;
  readonly #now: () => number;
  #count = 0;
  #lastCountedAt = -Infinity;
  #closed = false;

  /** Counts falling edges: the inputs idle high (pull-up) and a pulse pulls them low. */
  constructor(Digital: DigitalClass, now: () => number, options: PulseCountOptions) {
    this.#holdOffMs = (options.filter ?? 0) / 1e6;
    this.#now = now;
    const onReadable = options.onReadable;
    const counter = this;
    this.#input = new Digital({
      pin: options.signal,
      mode: DigitalMode.InputPullUp,
      edge: DigitalEdge.Falling,
      onReadable() {
        if (counter.#edge() && onReadable) onReadable.call(counter);
      },
    });
  }

  read(): number {
    if (this.#closed) throw new Error("closed");
    return this.#count;
  }

  write(count: number): void {
    if (this.#closed) throw new Error("closed");
    this.#count = count;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#input.close();
  }

  #edge(): boolean {
    if (this.#closed) return false;
    const at = this.#now();
    if (at - this.#lastCountedAt < this.#holdOffMs) return false;
    this.#lastCountedAt = at;
    this.#count++;
    return true;
  }
}
