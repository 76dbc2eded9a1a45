/**
 * Network time: `AT+QLTS=1` answers the last NITZ time in UTC, `"yyyy/MM/dd,hh:mm:ss±zz,d"`
 * (zz in quarter hours, d = DST hours). An empty string means no NITZ was received.
 */

/** Epoch milliseconds of a `+QLTS:` answer, or undefined when it carries no usable time. */
export function parseQlts(line: string): number | undefined {
  const match = /^\+QLTS: "(\d{4})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-]\d+)(?:,(\d+))?"$/.exec(line);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  // A modem without NITZ may report its RTC's reset value (1980, 2000); such a time is useless.
  if (year < 2024 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
