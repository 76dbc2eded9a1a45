/**
 * A man in the middle: it poses as the logger to the app (a peripheral on its own link) and as an
 * app to the logger (a central on the logger's link), forwarding GATT values both ways through
 * hooks that may read, change or swallow them. It has everything on the air but the pairing key.
 */
import type { BlePeripheral } from "../../modules/platform/ble.js";
import { BleLink } from "../../hosts/sim/ble-link.js";
import type { Scheduler } from "../../hosts/sim/scheduler.js";

/** Returns the value to forward, or undefined to swallow it. */
export type Tamper = (characteristic: string, value: Uint8Array) => Uint8Array | undefined;

export class Relay {
  /** The link the app connects to, believing it is the logger. */
  readonly appLink: BleLink;
  /** Every value that crossed, in order. */
  readonly seen: Array<{ toDevice: boolean; characteristic: string; value: Uint8Array }> = [];
  toDevice: Tamper = (_characteristic, value) => value;
  toApp: Tamper = (_characteristic, value) => value;
  readonly #fakeLogger: BlePeripheral;

  constructor(scheduler: Scheduler, deviceLink: BleLink) {
    this.appLink = new BleLink(scheduler);
    const fakeLogger = this.appLink.peripheral();
    this.#fakeLogger = fakeLogger;
    fakeLogger.start("datalogger", {
      onConnected: () => {
        deviceLink.connect({
          onNotification: (characteristic, value) => {
            this.seen.push({ toDevice: false, characteristic, value });
            const forwarded = this.toApp(characteristic, value);
            if (forwarded) fakeLogger.notifyValue(characteristic, forwarded);
          },
          onDisconnected: () => fakeLogger.disconnect(),
        });
      },
      onDisconnected: () => deviceLink.disconnect(),
      onCharacteristicWritten: (characteristic, value) => {
        this.seen.push({ toDevice: true, characteristic, value });
        const forwarded = this.toDevice(characteristic, value);
        if (forwarded) deviceLink.write(characteristic, forwarded);
      },
    });
  }

  /** Sends the app a value of the attacker's own making. */
  inject(characteristic: string, value: Uint8Array): void {
    this.#fakeLogger.notifyValue(characteristic, value);
  }
}
