/**
 * The saved alarm state of an output, so that a reset neither raises an alarm twice nor loses its
 * return to normal (docs/configuration.md, "Saved state"): key `al.<channel id>`, value one byte,
 * the ALARM_BITS that are raised. Written only when the state changes.
 */

export function alarmKey(channelId: number): string {
  return `al.${channelId}`;
}

export function encodeAlarmState(active: number): Uint8Array {
  return Uint8Array.of(active);
}

/** The saved bits, or undefined when the bytes are not an alarm state. */
export function decodeAlarmState(bytes: Uint8Array): number | undefined {
  return bytes.length === 1 && bytes[0] < 32 ? bytes[0] : undefined;
}
