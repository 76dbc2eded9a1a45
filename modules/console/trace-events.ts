/**
 * What the technician's live trace may show. Subsystems report typed events, not free text, so
 * the trace can only ever carry operational state: no sample values, no stored data, no secrets.
 */
export type TraceEvent =
  | { kind: "modem"; state: string }
  | { kind: "network"; registration: string; rssiDbm?: number; operator?: string; accessTechnology?: string }
  | { kind: "sampling"; tick: number; channels: number; faults: number }
  | { kind: "transmission"; ok: boolean; records: number; detail: string }
  | { kind: "fault"; counter: string; value: number };

/** Where subsystems send trace events; the console shows them while trace is on. */
export interface TraceSink {
  emit(event: TraceEvent): void;
}

export function formatTraceEvent(event: TraceEvent): string {
  switch (event.kind) {
    case "modem":
      return `modem state=${event.state}`;
    case "network":
      return `network reg=${event.registration}${signal(event.rssiDbm)}` +
        `${event.operator ? ` op=${event.operator}` : ""}${event.accessTechnology ? ` rat=${event.accessTechnology}` : ""}`;
    case "sampling":
      return `sampling tick=${event.tick} channels=${event.channels} faults=${event.faults}`;
    case "transmission":
      return `uplink ${event.ok ? "ok" : "failed"} records=${event.records} ${event.detail}`;
    case "fault":
      return `fault ${event.counter}=${event.value}`;
  }
}

export function signal(rssiDbm: number | undefined): string {
  return rssiDbm === undefined ? " rssi=unknown" : ` rssi=${rssiDbm}dBm`;
}
