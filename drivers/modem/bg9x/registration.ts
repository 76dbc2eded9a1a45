/**
 * Network registration in the three domains of 27.007: EPS (`+CEREG`, LTE-M / NB-IoT), GPRS
 * (`+CGREG`, the EGPRS fallback's packet domain) and CS (`+CREG`). The read answer carries the
 * URC mode first (`+CEREG: 2,1,...`); the URC starts with the status (`+CEREG: 1,...`).
 */
export type RegistrationDomain = "eps" | "gprs" | "cs";

export const REGISTRATION_PREFIX: Record<RegistrationDomain, string> = {
  eps: "+CEREG:",
  gprs: "+CGREG:",
  cs: "+CREG:",
};

export const RegistrationStat = Object.freeze({
  NotSearching: 0,
  Home: 1,
  Searching: 2,
  Denied: 3,
  Unknown: 4,
  Roaming: 5,
});

const STAT_NAMES = ["not-searching", "home", "searching", "denied", "unknown", "roaming", "sms-only-home", "sms-only-roaming", "emergency-only"];

export function statName(stat: number): string {
  return STAT_NAMES[stat] ?? `stat-${stat}`;
}

export function isRegistered(stat: number): boolean {
  return stat === RegistrationStat.Home || stat === RegistrationStat.Roaming;
}

export interface Registration {
  domain: RegistrationDomain;
  stat: number;
  /** Tracking / location area code, hex, when the modem reports it (URC mode 2). */
  area?: string;
  cell?: string;
  /** Access technology: 0 GSM, 3 EGPRS, 7 E-UTRAN (Cat-M1 on Quectel: 8), 9 NB-IoT. */
  act?: number;
}

const READ_FORM = /^\+C(?:E|G)?REG: \d+,\d+(,|$)/;

/** True for the read answer (`+CEREG: <n>,<stat>`), false for the URC (`+CEREG: <stat>`). */
export function isRegistrationRead(line: string): boolean {
  return READ_FORM.test(line);
}

export function parseRegistration(line: string): Registration | undefined {
  const match = /^\+(CEREG|CGREG|CREG): (.*)$/.exec(line);
  if (!match) return undefined;
  const domain: RegistrationDomain = match[1] === "CEREG" ? "eps" : match[1] === "CGREG" ? "gprs" : "cs";
  const fields = match[2].split(",").map((f) => f.trim());
  if (isRegistrationRead(line)) fields.shift();
  const stat = Number(fields[0]);
  if (!/^\d+$/.test(fields[0] ?? "")) return undefined;
  const registration: Registration = { domain, stat };
  const unquote = (text: string | undefined) => (text ? text.replace(/"/g, "") : "");
  if (unquote(fields[1])) registration.area = unquote(fields[1]);
  if (unquote(fields[2])) registration.cell = unquote(fields[2]);
  if (fields[3] && /^\d+$/.test(fields[3])) registration.act = Number(fields[3]);
  return registration;
}
