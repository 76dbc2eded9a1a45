const FLOAT32 = new Float32Array(1);

/**
 * `value` rounded to float32, the precision the log and the uplink keep. Not Math.fround: XS
 * returns integer-valued numbers from it unrounded (Math.fround(16777217) is 16777217 there),
 * while float32 storage rounds them.
 */
export function toFloat32(value: number): number {
  FLOAT32[0] = value;
  return FLOAT32[0];
}
