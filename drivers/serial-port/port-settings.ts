/**
 * Per-channel serial port parameters. Every serial driver takes them at construction and again
 * at run time (the console changes baud, framing and timeouts without a reboot), so they are
 * checked in one place and a bad change is refused whole, leaving the running settings alone.
 */
import type { Parity } from "../../modules/platform/io.js";
import type { Framing } from "./framing.js";

export interface PortSettings extends Framing {
  /** Frame 7-bit characters with parity in software over an 8N1 UART (see software-parity.ts). */
  softwareParity: boolean;
}

/** The outcome of a configuration change: applied, or refused with the reason. */
export type ConfigResult = { ok: true } | { ok: false; error: string };

export const CONFIG_OK: ConfigResult = Object.freeze({ ok: true });

export function refused(error: string): ConfigResult {
  return { ok: false, error };
}

export const STANDARD_BAUDS: readonly number[] = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];
const PARITIES: readonly Parity[] = ["none", "even", "odd"];

/** Why `settings` cannot be used, or undefined when they can. */
export function checkPortSettings(settings: PortSettings): string | undefined {
  if (STANDARD_BAUDS.indexOf(settings.baud) < 0) return `baud ${settings.baud} is not one of ${STANDARD_BAUDS.join(", ")}`;
  if (settings.dataBits !== 7 && settings.dataBits !== 8) return `dataBits must be 7 or 8, not ${String(settings.dataBits)}`;
  if (PARITIES.indexOf(settings.parity) < 0) return `parity must be none, even or odd, not ${String(settings.parity)}`;
  if (settings.stopBits !== 1 && settings.stopBits !== 2) return `stopBits must be 1 or 2, not ${String(settings.stopBits)}`;
  if (settings.dataBits === 7 && settings.parity === "none") return "7 data bits need a parity bit (7N1 is not a UART frame here)";
  if (settings.softwareParity && (settings.dataBits !== 7 || settings.parity === "none")) {
    return "softwareParity only applies to 7-bit characters with even or odd parity";
  }
  return undefined;
}

/** Applies `changes` to `current` if the result is valid; returns the new settings or the reason. */
export function changePortSettings(current: PortSettings, changes: Partial<PortSettings>): PortSettings | string {
  const next: PortSettings = { ...current };
  if (changes.baud !== undefined) next.baud = changes.baud;
  if (changes.dataBits !== undefined) next.dataBits = changes.dataBits;
  if (changes.parity !== undefined) next.parity = changes.parity;
  if (changes.stopBits !== undefined) next.stopBits = changes.stopBits;
  if (changes.softwareParity !== undefined) next.softwareParity = changes.softwareParity;
  return checkPortSettings(next) ?? next;
}

/** Checks a time setting in milliseconds. */
export function checkDuration(name: string, value: number, min: number, max: number): string | undefined {
  if (typeof value !== "number" || !(value >= min && value <= max)) return `${name} must be ${min}..${max} ms, not ${String(value)}`;
  return undefined;
}

export function checkCount(name: string, value: number, min: number, max: number): string | undefined {
  if (typeof value !== "number" || Math.floor(value) !== value || value < min || value > max) {
    return `${name} must be an integer ${min}..${max}, not ${String(value)}`;
  }
  return undefined;
}
