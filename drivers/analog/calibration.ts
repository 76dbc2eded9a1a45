/**
 * Signal to engineering value through calibration points: piecewise linear between them, and
 * extended along the first or last segment outside them (such values come flagged saturated).
 */
import type { CalibrationPoint } from "../../modules/config/channels.js";

export function interpolate(points: readonly CalibrationPoint[], signal: number): number {
  let i = 1;
  while (i < points.length - 1 && signal > points[i][0]) i++;
  const [x0, y0] = points[i - 1];
  const [x1, y1] = points[i];
  return y0 + ((signal - x0) * (y1 - y0)) / (x1 - x0);
}
