/**
 * SDI-12 timing the recorder keeps (v1.3 §5, ±0.40 ms tolerance). Durations are whole
 * milliseconds because Moddable timers are; each default sits inside the specified window.
 */
import { checkDuration } from "../serial-port/port-settings.js";

export interface Sdi12Timing {
  /** Spacing that wakes the sensors: at least 12 ms. */
  breakMs: number;
  /** Marking after the break before the command's first start bit: at least 8.33 ms. */
  markingMs: number;
  /**
   * No response when no character has arrived this long after the command's last stop bit.
   * A sensor starts within 15 ms (+0.4), and a UART reports a character only when its stop bit
   * is in, 8.33 ms later: so at least 24 ms, and a retry must follow within 87 ms.
   */
  responseWindowMs: number;
  /** A response is over when no character follows for this long (a character time + 8.33 ms of marking). */
  characterGapMs: number;
  /** Marking after which sensors may sleep, so the next command needs a break: 87 ms. */
  wakeWindowMs: number;
}

export const SDI12_TIMING: Readonly<Sdi12Timing> = Object.freeze({
  breakMs: 13,
  markingMs: 9,
  responseWindowMs: 30,
  characterGapMs: 17,
  wakeWindowMs: 87,
});

/** A sensor releases the line at most 7.5 ms (+0.4) after its last stop bit. */
export const SENSOR_RELEASE_MS = 8;
/** A sensor may take 100 ms after a break to wake; one retry of a sequence must come later. */
export const SENSOR_WAKE_MS = 100;
/** Sensors may ignore commands for a second after changing address (v1.3 §4.4.4). */
export const ADDRESS_CHANGE_SETTLE_MS = 1000;

export function checkSdi12Timing(timing: Sdi12Timing): string | undefined {
  return checkDuration("breakMs", timing.breakMs, 12, 100)
    ?? checkDuration("markingMs", timing.markingMs, 8.33, 50)
    ?? checkDuration("responseWindowMs", timing.responseWindowMs, 24, 87)
    ?? checkDuration("characterGapMs", timing.characterGapMs, 10, 200)
    ?? checkDuration("wakeWindowMs", timing.wakeWindowMs, 20, 87);
}
