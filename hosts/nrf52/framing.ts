/**
 * What Moddable's nRF52 serial can frame (modules/io/serial/nrf52/serial.c): the UARTE's listed
 * baud rates, and 8N1, 7E1 or 7O1 (the parity of 7-bit characters is made in software), one
 * stop bit.
 */
import type { Framing } from "../moddable/uart-port.js";

export const NRF52_BAUDS: readonly number[] = Object.freeze([
  1200, 2400, 4800, 9600, 14400, 19200, 28800, 38400, 57600, 76800, 115200, 230400, 250000, 460800, 921600, 1000000,
]);

export function checkNrf52Framing(framing: Framing): string | undefined {
  if (NRF52_BAUDS.indexOf(framing.baud) < 0) return `the nRF52 UARTE runs at ${NRF52_BAUDS.join(", ")} baud only`;
  if (framing.stopBits !== 1) return "the nRF52 UARTE is driven with one stop bit only";
  const eightNone = framing.dataBits === 8 && framing.parity === "none";
  const sevenParity = framing.dataBits === 7 && framing.parity !== "none";
  if (!eightNone && !sevenParity) return "Moddable's nRF52 serial frames 8N1, 7E1 or 7O1 only";
  return undefined;
}
