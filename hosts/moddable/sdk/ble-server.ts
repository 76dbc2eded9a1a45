/**
 * Moddable's BLEServer subclass behind the platform's BlePeripheral: it only forwards events to
 * the BleSession and carries out its requests. The GATT service comes from the JSON files the
 * manifest's `ble` section lists (modules/ble/bleservices/).
 */
import BLEServer from "bleserver";
import GAP from "gap";
import type { Characteristic } from "gatt";
import type { GattCharacteristic, GattServer, GattServerEvents } from "../ble-session.js";

export class LoggerBleServer extends BLEServer implements GattServer {
  readonly #events: GattServerEvents;

  constructor(events: GattServerEvents) {
    super();
    this.#events = events;
  }

  override onReady(): void {
    this.#events.onReady();
  }

  override onConnected(device: { connection: number }): void {
    this.#events.onConnected(device.connection);
  }

  override onDisconnected(device: { connection: number }): void {
    this.#events.onDisconnected(device.connection);
  }

  onMTUExchanged(mtu: number): void {
    this.#events.onMTUExchanged(mtu);
  }

  override onCharacteristicNotifyEnabled(characteristic: GattCharacteristic): void {
    this.#events.onNotifyEnabled(characteristic);
  }

  onCharacteristicNotifyDisabled(characteristic: GattCharacteristic): void {
    this.#events.onNotifyDisabled(characteristic);
  }

  override onCharacteristicWritten(characteristic: GattCharacteristic, value: unknown): void {
    this.#events.onWritten(characteristic, value);
  }

  advertise(deviceName: string): void {
    this.deviceName = deviceName;
    this.startAdvertising({
      advertisingData: {
        flags: GAP.ADFlag.LE_GENERAL_DISCOVERABLE_MODE | GAP.ADFlag.NO_BR_EDR,
        completeName: deviceName,
      },
    });
  }

  notify(characteristic: GattCharacteristic, value: ArrayBuffer | Uint8Array): void {
    // The typings describe a client-side Characteristic; a server passes back the object its
    // onCharacteristicNotifyEnabled received, which carries the handle Moddable needs.
    this.notifyValue(characteristic as unknown as Characteristic, value);
  }
}
