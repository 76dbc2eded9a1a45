/** Reading the comma-separated fields of Quectel information lines and URCs. */

/**
 * The numbers after `prefix` (`+QMTPUB: 0,5,0` -> [0, 5, 0]); undefined when the line has
 * another prefix or a field is not an integer.
 */
export function numericFields(line: string, prefix: string): number[] | undefined {
  if (!line.startsWith(prefix)) return undefined;
  const rest = line.slice(prefix.length).trim();
  if (!rest) return [];
  const fields = rest.split(",");
  const numbers: number[] = [];
  for (const field of fields) {
    const text = field.trim();
    if (!/^-?\d+$/.test(text)) return undefined;
    numbers.push(Number(text));
  }
  return numbers;
}

/** Characters no AT string parameter may carry: the modem has no escaping for them. */
const FORBIDDEN = /["\x00-\x1f\x7f]/;

/**
 * Checks a value that will be sent inside double quotes. Quectel's parser has no escape
 * sequence, so a quote, CR, LF, Ctrl-Z or ESC would end the parameter or the command and let
 * the rest be read as another command; commas are refused too where `strict` (credentials,
 * APN, topics), as some firmware splits on them inside quotes.
 */
export function checkAtString(value: string, what: string, strict = true): string | undefined {
  if (FORBIDDEN.test(value)) return `${what} contains a quote or a control character`;
  if (strict && value.indexOf(",") >= 0) return `${what} contains a comma`;
  return undefined;
}
