/**
 * Passes samples on to the log and remembers the newest per channel, for the installer's live
 * view and the console's status. Holds one sample per configured channel, nothing historical.
 */
import type { Sample, SampleSink } from "../records/sample.js";

export class LatestSamples implements SampleSink {
  readonly #latest = new Map<number, Sample>();
  /** Samples taken since boot. */
  count = 0;

  constructor(private readonly next: SampleSink) {}

  append(sample: Sample): boolean {
    this.#latest.set(sample.channel, sample);
    this.count++;
    return this.next.append(sample);
  }

  /** Newest sample of each channel, by channel id. */
  all(): Sample[] {
    return [...this.#latest.values()].sort((a, b) => a.channel - b.channel);
  }
}
