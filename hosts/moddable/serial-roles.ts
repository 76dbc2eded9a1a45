/**
 * Opens the UART a serial role is wired to on a board: one of the MCU's own UARTs or a channel
 * of an SC16IS752 bridge. A role can be open once at a time, as on the simulated board.
 */
import type { SerialPortName } from "../../modules/platform/io.js";
import type { BoardWiring } from "./board-wiring.js";
import { NativeUart, type NativeUartWiring } from "./native-uart.js";
import type { Sc16is7xx } from "./sc16is7xx.js";
import type { UartOpener, UartPort } from "./uart-port.js";

export interface SerialRoleDeps {
  /** Everything a native UART needs except its pins. */
  native: Omit<NativeUartWiring, "port" | "transmit" | "receive">;
  /** One per entry of `BoardWiring.bridges`. */
  bridges: readonly Sc16is7xx[];
}

export function makeUartOpener(board: BoardWiring, deps: SerialRoleDeps): UartOpener {
  const open = new Set<SerialPortName>();
  return (role, framing, events) => {
    const wiring = board.serial[role];
    if (!wiring) throw new Error(`no serial port "${role}" on ${board.model}`);
    if (open.has(role)) throw new Error(`serial port "${role}" in use`);
    let port: UartPort;
    if (wiring.kind === "native") {
      const native: NativeUartWiring = { ...deps.native, transmit: wiring.transmit, receive: wiring.receive };
      if (wiring.port !== undefined) native.port = wiring.port;
      port = new NativeUart(native, framing, events);
    } else {
      port = deps.bridges[wiring.bridge].open(wiring.channel, framing, events, wiring);
    }
    open.add(role);
    // A wrapper rather than a patched `close`: XS freezes preloaded prototypes, and assigning
    // over an inherited frozen method throws.
    return {
      writable: () => port.writable(),
      write: (bytes) => port.write(bytes),
      read: () => port.read(),
      reframe: (framing) => port.reframe(framing),
      setBreak: (on) => port.setBreak(on),
      close: () => {
        open.delete(role);
        port.close();
      },
    };
  };
}
