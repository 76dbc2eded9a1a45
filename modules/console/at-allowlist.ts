/**
 * The AT commands a technician may send to the modem: read and test forms that only report
 * state. Matching is exact (after ASCII upper-casing), and what goes to the modem is our own
 * canonical spelling, never the typed text. Everything else is refused; the refusal names the
 * danger when the command belongs to a known dangerous family, so the technician learns why.
 */

/** Canonical commands, as sent to the modem. */
export const AT_ALLOWLIST: readonly string[] = [
  "ATI", "AT+GMR", "AT+CGMR", "AT+QGMR", "AT+CGSN", "AT+QCCID",
  "AT+CSQ", "AT+QCSQ", "AT+QNWINFO", "AT+QSPN", "AT+COPS?",
  "AT+CREG?", "AT+CGREG?", "AT+CEREG?", "AT+CGATT?", "AT+CGDCONT?", "AT+CGPADDR", "AT+QIACT?",
  "AT+CPIN?", "AT+CCLK?", "AT+QLTS", "AT+CPSMS?", "AT+CEDRXS?", "AT+CMEE?", "AT+CFUN?",
  'AT+QCFG="nwscanmode"', 'AT+QCFG="nwscanseq"', 'AT+QCFG="iotopmode"', 'AT+QCFG="band"',
  "AT+CSQ=?", "AT+CREG=?", "AT+CGREG=?", "AT+CEREG=?",
];

const BY_UPPER = new Map(AT_ALLOWLIST.map((command) => [command.toUpperCase(), command] as const));

/** Known dangerous families, checked in order (longer prefixes first where they overlap). */
const DANGERS: ReadonlyArray<readonly [string, string]> = [
  ["AT+QFOTA", "updates the modem firmware"],
  ["AT+QFTP", "sends or fetches files over FTP"],
  ["AT+QF", "reads, writes, lists or deletes modem files (keys and certificates live there)"],
  ["AT+QMT", "publishes or connects MQTT with the device's credentials"],
  ["AT+QHTTP", "sends or fetches data over HTTP"],
  ["AT+QSSL", "opens TLS sockets or changes TLS settings"],
  ["AT+QIOPEN", "opens a socket"],
  ["AT+QISEND", "sends data on a socket"],
  ["AT+QISWTMD", "switches a socket into data mode"],
  ["AT+QIDNS", "changes or uses DNS"],
  ["AT+QPING", "sends traffic"],
  ["AT+QICSGP", "reads or sets the APN credentials"],
  ["AT+CMGS", "sends an SMS"],
  ["AT+CMSS", "sends an SMS"],
  ["ATD", "dials (data mode or a call)"],
  ["ATO", "enters data mode"],
  ["ATA", "answers a call (data mode)"],
  ["+++", "leaves data mode"],
  ["ATS", "changes S-registers (line endings of the modem link)"],
  ["ATE", "changes the modem link (echo)"],
  ["ATV", "changes the modem link (result codes)"],
  ["ATQ", "changes the modem link (result codes)"],
  ["ATZ", "resets the modem profile"],
  ["AT&", "changes or stores the modem profile"],
  ["AT+IPR", "changes the modem link (baud rate)"],
  ["AT+IFC", "changes the modem link (flow control)"],
  ["AT+ICF", "changes the modem link (framing)"],
  ["AT+CFUN=", "switches the radio or restarts the modem"],
  ["AT+QPOWD", "powers the modem off"],
  ["AT+CPIN=", "changes the SIM lock state"],
  ["AT+CLCK", "changes the SIM lock state"],
  ["AT+CPWD", "changes the SIM PIN"],
  ["AT+CRSM", "accesses the SIM directly"],
  ["AT+CSIM", "accesses the SIM directly"],
];

export type AtCheck = { ok: true; command: string } | { ok: false; error: string };

export function checkAtCommand(text: string): AtCheck {
  const upper = text.toUpperCase();
  const allowed = BY_UPPER.get(upper);
  if (allowed !== undefined) return { ok: true, command: allowed };
  return { ok: false, error: `refused: ${refusalReason(upper)} (at list shows what is allowed)` };
}

function refusalReason(upper: string): string {
  if (!upper.length) return "no command given";
  if (upper.indexOf(";") >= 0) return "one command per line; ';' chaining is not allowed";
  if (upper.startsWith("A/")) return "A/ (repeat last command) is not allowed";
  for (const [prefix, danger] of DANGERS) {
    if (upper.startsWith(prefix)) return `${prefix}... ${danger}`;
  }
  if (/\s/.test(upper)) return "spaces are not allowed inside an AT command";
  if (!upper.startsWith("AT")) return "not an AT command";
  if (/=(?!\?$)/.test(upper)) return "write and execute forms are not allowed; only listed read and test commands";
  return "not on the troubleshooting allowlist";
}
