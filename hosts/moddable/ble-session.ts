/**
 * The platform's BlePeripheral over Moddable's `BLEServer`, minus the subclassing (that part is
 * device/ble-server.ts). The GATT service is the JSON under modules/ble/bleservices/, compiled
 * by mcconfig; characteristics are named by their key in that JSON.
 *
 * It keeps the simulated link's rules: a value longer than MTU - 3 is refused with a RangeError,
 * and a notification with no client connected is dropped. One rule is the hardware's own: a
 * notification reaches only a characteristic the client subscribed to (Moddable needs the
 * characteristic object that arrives with the subscription), so it is dropped otherwise.
 */
import type { BleCallbacks, BlePeripheral } from "../../modules/platform/ble.js";

/** A characteristic as Moddable's BLEServer callbacks describe it. */
export interface GattCharacteristic {
  readonly name: string;
  readonly handle: number;
  readonly type?: string;
}

/** What the session needs of the BLEServer subclass. */
export interface GattServer {
  advertise(deviceName: string): void;
  notify(characteristic: GattCharacteristic, value: ArrayBuffer | Uint8Array): void;
  disconnect(): void;
  close(): void;
}

/** BLEServer events, forwarded by the subclass. */
export interface GattServerEvents {
  onReady(): void;
  onConnected(connection: number): void;
  onDisconnected(connection: number): void;
  onMTUExchanged(mtu: number): void;
  onNotifyEnabled(characteristic: GattCharacteristic): void;
  onNotifyDisabled(characteristic: GattCharacteristic): void;
  onWritten(characteristic: GattCharacteristic, value: unknown): void;
}

/** ATT's default MTU, until the client exchanges a larger one. */
export const DEFAULT_MTU = 23;

export class BleSession implements BlePeripheral, GattServerEvents {
  readonly #createServer: (events: GattServerEvents) => GattServer;
  readonly #report: (error: unknown) => void;
  #server: GattServer | undefined;
  #deviceName = "";
  #callbacks: BleCallbacks | undefined;
  #connection: number | undefined;
  #mtu = DEFAULT_MTU;
  readonly #subscribed = new Map<string, GattCharacteristic>();

  constructor(createServer: (events: GattServerEvents) => GattServer, report: (error: unknown) => void) {
    this.#createServer = createServer;
    this.#report = report;
  }

  start(deviceName: string, callbacks: BleCallbacks): void {
    if (this.#server) throw new Error("BLE peripheral already started");
    this.#deviceName = deviceName;
    this.#callbacks = callbacks;
    this.#server = this.#createServer(this);
  }

  notifyValue(characteristic: string, value: Uint8Array): void {
    if (value.length > this.#mtu - 3) throw new RangeError(`BLE value of ${value.length} bytes exceeds MTU ${this.#mtu} - 3`);
    const target = this.#subscribed.get(characteristic);
    if (!this.#server || this.#connection === undefined || !target) return;
    const bytes = value.slice();
    this.#server.notify(target, target.type === undefined || target.type === "ArrayBuffer" ? bytes.buffer : bytes);
  }

  disconnect(): void {
    if (this.#connection !== undefined) this.#server?.disconnect();
  }

  stop(): void {
    const server = this.#server;
    this.#server = undefined;
    this.#callbacks = undefined;
    this.#connection = undefined;
    this.#subscribed.clear();
    server?.close();
  }

  onReady(): void {
    this.#server?.advertise(this.#deviceName);
  }

  onConnected(connection: number): void {
    this.#connection = connection;
    this.#mtu = DEFAULT_MTU;
    this.#call((callbacks) => callbacks.onConnected(connection));
  }

  onDisconnected(connection: number): void {
    this.#connection = undefined;
    this.#subscribed.clear();
    this.#call((callbacks) => callbacks.onDisconnected(connection));
    // Moddable stops advertising on a connection; a logger must stay reachable.
    if (this.#server) this.#server.advertise(this.#deviceName);
  }

  onMTUExchanged(mtu: number): void {
    this.#mtu = mtu;
    this.#call((callbacks) => callbacks.onMTUExchanged?.(mtu));
  }

  onNotifyEnabled(characteristic: GattCharacteristic): void {
    this.#subscribed.set(characteristic.name, characteristic);
  }

  onNotifyDisabled(characteristic: GattCharacteristic): void {
    this.#subscribed.delete(characteristic.name);
  }

  onWritten(characteristic: GattCharacteristic, value: unknown): void {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value instanceof Uint8Array ? value : undefined;
    if (!bytes) {
      this.#report(new TypeError(`characteristic "${characteristic.name}" must be of type ArrayBuffer or Uint8Array in the service JSON`));
      return;
    }
    this.#call((callbacks) => callbacks.onCharacteristicWritten(characteristic.name, bytes));
  }

  #call(deliver: (callbacks: BleCallbacks) => void): void {
    const callbacks = this.#callbacks;
    if (!callbacks) return;
    try {
      deliver(callbacks);
    } catch (error) {
      this.#report(error);
    }
  }
}
