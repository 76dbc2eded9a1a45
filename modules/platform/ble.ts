/**
 * BLE GATT peripheral, shaped after Moddable's `BLEServer`: the firmware learns of connections
 * and characteristic writes through callbacks and answers with notifications.
 */
export interface BleCallbacks {
  onConnected(connection: number): void;
  onDisconnected(connection: number): void;
  onMTUExchanged?(mtu: number): void;
  onCharacteristicWritten(characteristic: string, value: Uint8Array): void;
}

export interface BlePeripheral {
  /** Deploys the service and starts advertising under `deviceName`. */
  start(deviceName: string, callbacks: BleCallbacks): void;
  notifyValue(characteristic: string, value: Uint8Array): void;
  /** Drops the current connection, if any. */
  disconnect(): void;
  stop(): void;
}
