/** What Moddable's ESP32 serial can frame: it programs the UART 8N1 and has no option to change it. */
import type { Framing } from "../moddable/uart-port.js";

export function checkEsp32Framing(framing: Framing): string | undefined {
  if (framing.dataBits === 8 && framing.parity === "none" && framing.stopBits === 1) return undefined;
  return "ESP32 UARTs are 8N1 only under Moddable; 7-bit protocols use the driver's softwareParity over 8N1";
}
