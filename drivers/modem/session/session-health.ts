/** What the session reports about the modem: for health reports, the console and the uplink. */
import type { AtEngineStats } from "../at/at-engine.js";
import type { ModemStatus } from "../bg9x/bg9x-modem.js";
import type { ModemError } from "../bg9x/modem-error.js";
import type { RecoveryStep } from "../bg9x/recovery-ladder.js";
import { statName } from "../bg9x/registration.js";
import type { SignalQuality } from "../bg9x/signal.js";

export type SessionState = "off" | "connecting" | "ready" | "recovering" | "closing";

export interface ModemHealth {
  state: SessionState;
  paused: boolean;
  /** The AT channel is handed to the modem's firmware update (beginModemUpdate). */
  modemUpdate: boolean;
  /** The bring-up stage in progress, or the last one reached. */
  stage: string;
  supplied: boolean;
  /** Registration status per domain, by name ("home", "searching", "denied", ...). */
  registration: { eps?: string; gprs?: string; cs?: string };
  accessTechnology?: number;
  signal: SignalQuality;
  operator?: string;
  firmware?: string;
  ipAddress?: string;
  networkTime?: { epochMs: number; atMonotonicMs: number };
  /** The rung the recovery ladder would use next. */
  nextRecoveryStep: RecoveryStep;
  /** The session's `modem.*` counters. */
  counters: Record<string, number>;
  at: AtEngineStats;
  lastError?: ModemError;
}

export function registrationNames(status: ModemStatus): ModemHealth["registration"] {
  const out: ModemHealth["registration"] = {};
  const { eps, gprs, cs } = status.registration;
  if (eps) out.eps = statName(eps.stat);
  if (gprs) out.gprs = statName(gprs.stat);
  if (cs) out.cs = statName(cs.stat);
  return out;
}
