/**
 * The <values> field of D and R responses (v1.3 §4.4.8): each value is a sign, 1 to 7 digits
 * and an optional decimal point, 9 characters at most, written back to back ("+1.5-0.25+12").
 */
import type { Parsed } from "../serial-port/parsed.js";

export const MAX_VALUE_DIGITS = 7;
export const MAX_VALUE_CHARACTERS = 9;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function parseValues(field: string): Parsed<number[]> {
  const values: number[] = [];
  let at = 0;
  while (at < field.length) {
    const sign = field[at];
    if (sign !== "+" && sign !== "-") return { ok: false, error: `value ${values.length + 1} has no sign at "${field.slice(at, at + 9)}"` };
    let end = at + 1;
    let digits = 0;
    let points = 0;
    while (end < field.length && field[end] !== "+" && field[end] !== "-") {
      const code = field.charCodeAt(end);
      if (isDigit(code)) digits++;
      else if (code === 0x2e) points++;
      else return { ok: false, error: `unexpected "${field[end]}" in value ${values.length + 1}` };
      end++;
    }
    if (digits < 1 || digits > MAX_VALUE_DIGITS) return { ok: false, error: `value ${values.length + 1} has ${digits} digits` };
    if (points > 1) return { ok: false, error: `value ${values.length + 1} has ${points} decimal points` };
    if (end - at > MAX_VALUE_CHARACTERS) return { ok: false, error: `value ${values.length + 1} is longer than 9 characters` };
    values.push(Number(field.slice(at, end)));
    at = end;
  }
  return { ok: true, value: values };
}

/** Writes a value the way a sensor does: sign, then at most 7 digits. */
export function formatValue(value: number, decimals: number): string {
  const sign = value < 0 ? "-" : "+";
  let places = Math.max(0, Math.min(6, decimals));
  let text = Math.abs(value).toFixed(places);
  while (text.replace(".", "").length > MAX_VALUE_DIGITS && places > 0) text = Math.abs(value).toFixed(--places);
  return sign + text;
}
