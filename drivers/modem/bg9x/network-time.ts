/**
 * Network time: `AT+QLTS=1` answers the last NITZ time in UTC, `"yyyy/MM/dd,hh:mm:ss±zz,d"`
 * (zz in quarter hours, d = DST hours); an empty string means no NITZ was received. The
 * module's clock (`AT+CCLK?`, `"yy/MM/dd,hh:mm:ss±zz"`) is the fallback: Quectel modules keep
 * it in UTC once the network has set it, and at a reset value (1980, 2000) until then.
 */

/** Epoch milliseconds of a `+QLTS:` answer, or undefined when it carries no usable time. */
export function parseQlts(line: string): number | undefined {
  const match = /^\+QLTS: "(\d{4})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-]\d+)(?:,(\d+))?"$/.exec(line);
  return match ? utcTime(match.slice(1, 7).map(Number)) : undefined;
}

/** Epoch milliseconds of a `+CCLK:` answer (two-digit year: 70..99 is 19yy), or undefined. */
export function parseCclk(line: string): number | undefined {
  const match = /^\+CCLK: "(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-]\d+)?"$/.exec(line);
  if (!match) return undefined;
  const fields = match.slice(1, 7).map(Number);
  fields[0] += fields[0] >= 70 ? 1900 : 2000;
  return utcTime(fields);
}

function utcTime([year, month, day, hour, minute, second]: number[]): number | undefined {
  // A modem without NITZ may report its RTC's reset value (1980, 2000); such a time is useless.
  if (year < 2024 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
