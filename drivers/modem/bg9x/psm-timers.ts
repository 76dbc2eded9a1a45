/**
 * PSM timer strings of `AT+CPSMS` (TS 24.008): the periodic TAU (T3412 extended, GPRS Timer 3)
 * and the active time (T3324, GPRS Timer 2), each one byte written as 8 binary digits: a 3-bit
 * unit then a 5-bit value. The coarsest unit that represents the value exactly is used (the
 * network sees the plainest value); a value no unit represents is rounded up in the finest unit
 * that reaches it.
 */
const T3412_UNITS: ReadonlyArray<[code: number, seconds: number]> = [
  [0b011, 2], [0b100, 30], [0b101, 60], [0b000, 600], [0b001, 3600], [0b010, 36000], [0b110, 1152000],
];
const T3324_UNITS: ReadonlyArray<[code: number, seconds: number]> = [[0b000, 2], [0b001, 60], [0b010, 360]];

function encode(seconds: number, units: ReadonlyArray<[number, number]>, what: string): string {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError(`${what} of ${seconds} s`);
  let choice: [number, number] | undefined;
  for (let i = units.length - 1; i >= 0; i--) {
    const [code, unit] = units[i];
    if (seconds % unit === 0 && seconds / unit <= 31) {
      choice = [code, seconds / unit];
      break;
    }
  }
  if (!choice) {
    for (const [code, unit] of units) {
      if (Math.ceil(seconds / unit) <= 31) {
        choice = [code, Math.ceil(seconds / unit)];
        break;
      }
    }
  }
  if (!choice) throw new RangeError(`${what} of ${seconds} s is beyond the timer's range`);
  return ((choice[0] << 5) | choice[1]).toString(2).padStart(8, "0");
}

export function encodePeriodicTau(seconds: number): string {
  return encode(seconds, T3412_UNITS, "periodic TAU");
}

export function encodeActiveTime(seconds: number): string {
  return encode(seconds, T3324_UNITS, "active time");
}
