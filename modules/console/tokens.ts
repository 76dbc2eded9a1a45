/**
 * Words and numbers of the console language. Numbers are plain decimal only: no sign, no
 * leading zeros, no hex or octal prefixes, no exponent, no trailing junk, always range-checked,
 * so that what the technician reads back is exactly what the logger stores.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function accepted<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function rejected<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** Splits on runs of spaces (the line editor turns tabs into spaces). */
export function tokenize(line: string): string[] {
  return line.split(" ").filter((word) => word.length > 0);
}

/** A user-supplied word as it appears inside an error message: quoted and bounded. */
export function quote(word: string): string {
  return `"${word.length > 32 ? `${word.slice(0, 32)}...` : word}"`;
}

const DECIMAL = /^(0|[1-9][0-9]{0,8})$/;

export function parseDecimal(text: string, min: number, max: number, what: string): Parsed<number> {
  if (!DECIMAL.test(text)) {
    const why = /^0[0-9]/.test(text) ? "leading zeros are not allowed" : "use plain decimal digits";
    return rejected(`${what} ${quote(text)} is not a number (${why})`);
  }
  const value = Number(text);
  if (value < min || value > max) return rejected(`${what} ${value} is out of range ${min}..${max}`);
  return accepted(value);
}
