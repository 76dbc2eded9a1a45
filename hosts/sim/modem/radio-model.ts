/**
 * The cellular network as the simulated module sees it: SIM, coverage, registration in the
 * EPS domain (LTE-M / NB-IoT) or, on the EGPRS fallback, the GPRS and CS domains; signal
 * figures; denial. Registration takes `searchMs` after the radio comes on or coverage returns.
 */
import type { Scheduler, ScheduledEvent } from "../scheduler.js";

export type Rat = "eMTC" | "NBIoT" | "GSM";

export interface RadioOptions {
  rat?: Rat;
  operator?: string;
  /** +CSQ rssi (0..31). */
  csq?: number;
  rsrpDbm?: number;
  sinrDb?: number;
  rsrqDb?: number;
  /** Time from radio on (or coverage back) to registered. */
  searchMs?: number;
  roaming?: boolean;
}

type RadioState = "off" | "searching" | "registered" | "denied";

/** `<AcT>` as the BG95 reports it: 0 GSM, 8 eMTC, 9 NB-IoT. */
export const ACT_CODES: Record<Rat, number> = { GSM: 0, eMTC: 8, NBIoT: 9 };

export class RadioModel {
  readonly rat: Rat;
  readonly operator: string;
  readonly csq: number;
  readonly rsrpDbm: number;
  readonly sinrDb: number;
  readonly rsrqDb: number;
  readonly searchMs: number;
  readonly roaming: boolean;
  /** The network refuses registration (the SIM's subscription lacks LTE-M, roaming barred). */
  denied = false;
  simPresent = true;
  /** Called whenever a domain's status may have changed. */
  onChange: () => void = () => undefined;

  readonly #scheduler: Scheduler;
  #state: RadioState = "off";
  #covered = true;
  #search: ScheduledEvent | undefined;

  constructor(scheduler: Scheduler, options: RadioOptions = {}) {
    this.#scheduler = scheduler;
    this.rat = options.rat ?? "eMTC";
    this.operator = options.operator ?? "SimTel";
    this.csq = options.csq ?? 18;
    this.rsrpDbm = options.rsrpDbm ?? -98;
    this.sinrDb = options.sinrDb ?? 6;
    this.rsrqDb = options.rsrqDb ?? -11;
    this.searchMs = options.searchMs ?? 6000;
    this.roaming = options.roaming ?? false;
  }

  get registered(): boolean {
    return this.#state === "registered";
  }

  get covered(): boolean {
    return this.#covered;
  }

  radioOn(): void {
    if (this.#state !== "off") return;
    this.#startSearch();
  }

  radioOff(): void {
    this.#scheduler.cancel(this.#search);
    this.#set("off");
  }

  /** Coverage comes and goes with the simulated site; registration follows. */
  setCoverage(covered: boolean): void {
    if (this.#covered === covered) return;
    this.#covered = covered;
    if (this.#state === "off") return;
    if (covered) this.#startSearch();
    else {
      this.#scheduler.cancel(this.#search);
      this.#set("searching");
    }
  }

  /** No coverage for `ms`, starting now. */
  loseCoverageFor(ms: number): void {
    this.setCoverage(false);
    this.#scheduler.after(ms, () => this.setCoverage(true));
  }

  /** The 27.007 `<stat>` of a domain. */
  stat(domain: "eps" | "gprs" | "cs"): number {
    const lte = this.rat !== "GSM";
    const inDomain = domain === "eps" ? lte : !lte;
    if (!this.simPresent) return 0;
    switch (this.#state) {
      case "off": return 0;
      case "searching": return inDomain ? 2 : 0;
      case "denied": return 3;
      case "registered": return inDomain ? (this.roaming ? 5 : 1) : 0;
    }
  }

  #startSearch(): void {
    this.#scheduler.cancel(this.#search);
    this.#set("searching");
    if (!this.simPresent) return;
    this.#search = this.#scheduler.after(this.searchMs, () => {
      if (this.#covered) this.#set(this.denied ? "denied" : "registered");
    });
  }

  #set(state: RadioState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.onChange();
  }
}
