/**
 * Modbus RTU silent intervals (Modbus over serial line guide §2.5.1.1): a frame ends after 3.5
 * character times of silence and may not pause for more than 1.5 inside; above 19200 baud the
 * guide fixes them at 1.75 ms and 0.75 ms.
 */
import { type Framing, characterTimeMs } from "../serial-port/framing.js";

export interface ModbusSilence {
  /** Longest pause inside a frame. */
  t15Ms: number;
  /** Silence that ends a frame and must precede the next. */
  t35Ms: number;
}

export function modbusSilence(framing: Framing): ModbusSilence {
  if (framing.baud > 19200) return { t15Ms: 0.75, t35Ms: 1.75 };
  const character = characterTimeMs(framing);
  return { t15Ms: 1.5 * character, t35Ms: 3.5 * character };
}
