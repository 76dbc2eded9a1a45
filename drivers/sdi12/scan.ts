/**
 * Address discovery for the console: a! on each candidate address (a break each, as every one is
 * a new address), then aI! on those that answered. An address whose answer was garbled (two
 * sensors sharing it, a noisy sensor) is reported with the reason rather than dropped.
 */
import { SensorFault } from "../../modules/records/sample.js";
import type { Outcome } from "../serial-port/measure-result.js";
import { SDI12_ADDRESSES } from "./commands.js";
import type { Sdi12Identification } from "./responses.js";
import type { RetryPolicy } from "./transaction.js";

export interface ScanOptions {
  /** Addresses to try, in order; all 62 by default. */
  addresses?: readonly string[];
  /** Also read each found sensor's identification (default true). */
  identify?: boolean;
  /** Retries per address; by default a try and 2 retries, the last more than 100 ms after the break. */
  retry?: RetryPolicy;
}

export interface ScanEntry {
  address: string;
  identification?: Sdi12Identification;
  /** Something answered at this address, but not cleanly; or the identification failed. */
  problem?: string;
}

export interface ScanTarget {
  probe(address: string, reply: (outcome: Outcome<string>) => void): void;
  identify(address: string, reply: (outcome: Outcome<Sdi12Identification>) => void): void;
}

export function scanBus(target: ScanTarget, options: ScanOptions, done: (found: ScanEntry[]) => void): void {
  const addresses = options.addresses ?? SDI12_ADDRESSES;
  const found: ScanEntry[] = [];
  let index = 0;
  const identifyFound = (at: number) => {
    if (at >= found.length || options.identify === false) {
      done(found);
      return;
    }
    const entry = found[at];
    if (entry.problem) {
      identifyFound(at + 1);
      return;
    }
    target.identify(entry.address, (outcome) => {
      if (outcome.ok) entry.identification = outcome.value;
      else entry.problem = outcome.detail;
      identifyFound(at + 1);
    });
  };
  const probeNext = () => {
    if (index >= addresses.length) {
      identifyFound(0);
      return;
    }
    const address = addresses[index++];
    target.probe(address, (outcome) => {
      if (outcome.ok) found.push({ address });
      else if (outcome.fault === SensorFault.BadResponse) found.push({ address, problem: outcome.detail });
      probeNext();
    });
  };
  probeNext();
}
