/**
 * Masks secrets in any text bound for a human: passwords and keys in key=value form, MQTT and
 * APN credentials inside AT commands and their responses, PEM blocks and long hex strings (raw
 * keys, the pairing key). Over-masking is acceptable; a leak is not. The mask has a fixed length
 * so that it does not reveal the secret's length either.
 */

export const MASK = "***";

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // PEM blocks, including an unterminated one at the end of the text.
  [/-----BEGIN [A-Z0-9 ]*-----[\s\S]*?(-----END [A-Z0-9 ]*-----|$)/g, `[PEM ${MASK}]`],
  // AT+QMTCONN=<idx>,"<client id>","<user>","<password>": user and password.
  [/(\+QMTCONN\s*=\s*\d+\s*,\s*"[^"]*"\s*,\s*)"[^"]*"(\s*,\s*)"[^"]*"/gi, `$1"${MASK}"$2"${MASK}"`],
  [/(\+QMTCONN\s*=\s*\d+\s*,\s*"[^"]*"\s*,\s*)"[^"]*"/gi, `$1"${MASK}"`],
  // AT+QICSGP=<ctx>,<type>,"<apn>","<user>","<password>" and the response +QICSGP: <type>,"<apn>","<user>","<password>".
  [/(\+QICSGP\s*[:=]\s*(?:\d+\s*,\s*){1,2}"[^"]*"\s*,\s*"[^"]*"\s*,\s*)"[^"]*"/gi, `$1"${MASK}"`],
  // password=..., "psk": "...", pairing_key: ..., token=... (quoted or bare values).
  [/([A-Za-z0-9_.-]*(?:password|passwd|pass|pwd|psk|secret|token|key)"?\s*[=:]\s*)("[^"]*"|[^\s,;"]+)/gi, `$1${MASK}`],
  // Raw key material printed as hex (a run with both digits and letters, so not an IMEI or "aaaa...").
  [/(?=[0-9A-Fa-f]*[0-9])(?=[0-9A-Fa-f]*[A-Fa-f])[0-9A-Fa-f]{32,}/g, MASK],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
