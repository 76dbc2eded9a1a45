/** Where pulses come from: the hardware counter, or a debounced contact counted in firmware. */
export interface PulseSource {
  /** Pulses seen since the source was opened; never decreases. */
  count(): number;
  close(): void;
}
