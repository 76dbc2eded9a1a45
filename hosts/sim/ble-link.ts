/**
 * A BLE link between the board's GATT peripheral and a simulated central (the installer app),
 * with the latency of a connection interval. Values are delivered whole: fragmentation into
 * MTU-sized writes is the protocol's job, and the link refuses values longer than MTU - 3.
 */
import type { BleCallbacks, BlePeripheral } from "../../modules/platform/ble.js";
import type { Scheduler } from "./scheduler.js";

export interface CentralCallbacks {
  onNotification(characteristic: string, value: Uint8Array): void;
  onDisconnected(): void;
}

export class BleLink {
  readonly mtu: number;
  readonly intervalMs: number;
  #peripheral: BleCallbacks | undefined;
  #deviceName = "";
  #central: CentralCallbacks | undefined;
  #connection = 0;

  constructor(readonly scheduler: Scheduler, options: { mtu?: number; intervalMs?: number } = {}) {
    this.mtu = options.mtu ?? 247;
    this.intervalMs = options.intervalMs ?? 15;
  }

  get advertising(): string | undefined {
    return this.#peripheral && !this.#central ? this.#deviceName : undefined;
  }

  get connected(): boolean {
    return this.#central !== undefined;
  }

  /** The board side, handed to the firmware as platform.ble. */
  peripheral(): BlePeripheral {
    return {
      start: (deviceName, callbacks) => {
        this.#deviceName = deviceName;
        this.#peripheral = callbacks;
      },
      notifyValue: (characteristic, value) => {
        this.#checkSize(value);
        const central = this.#central;
        const copy = value.slice();
        if (central) this.scheduler.after(this.intervalMs, () => { if (this.#central === central) central.onNotification(characteristic, copy); });
      },
      disconnect: () => this.#drop(),
      stop: () => {
        this.#drop();
        this.#peripheral = undefined;
      },
    };
  }

  /** The central side: connect, write, disconnect. */
  connect(central: CentralCallbacks): boolean {
    const peripheral = this.#peripheral;
    if (!peripheral || this.#central) return false;
    this.#central = central;
    const connection = ++this.#connection;
    this.scheduler.after(this.intervalMs, () => {
      if (this.#connection !== connection || !this.#central) return;
      peripheral.onConnected(connection);
      peripheral.onMTUExchanged?.(this.mtu);
    });
    return true;
  }

  write(characteristic: string, value: Uint8Array): void {
    this.#checkSize(value);
    const peripheral = this.#peripheral;
    const connection = this.#connection;
    const copy = value.slice();
    if (!peripheral || !this.#central) return;
    this.scheduler.after(this.intervalMs, () => {
      if (this.#connection === connection && this.#central) peripheral.onCharacteristicWritten(characteristic, copy);
    });
  }

  disconnect(): void {
    this.#drop();
  }

  /** The board lost power or reset: the connection drops and the firmware's service is gone until it starts again. */
  reset(): void {
    this.#drop();
    this.#peripheral = undefined;
  }

  #drop(): void {
    const central = this.#central;
    if (!central) return;
    this.#central = undefined;
    const connection = this.#connection++;
    const peripheral = this.#peripheral;
    this.scheduler.after(this.intervalMs, () => {
      central.onDisconnected();
      peripheral?.onDisconnected(connection);
    });
  }

  #checkSize(value: Uint8Array): void {
    if (value.length > this.mtu - 3) throw new RangeError(`BLE value of ${value.length} bytes exceeds MTU ${this.mtu} - 3`);
  }
}
