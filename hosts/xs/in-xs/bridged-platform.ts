/**
 * The Platform a firmware gets inside XS when its board lives in Node: every operation is a
 * synchronous bridge request (docs/xs-host.md), and the board's callbacks (timers, IO, BLE)
 * arrive as deliveries that this session dispatches. One session per boot, as the board makes
 * one platform object per boot.
 */
import type { BleCallbacks, BlePeripheral } from "../../../modules/platform/ble.js";
import type { Clock, TimeQuality, TimerHandle, Timers } from "../../../modules/platform/clock.js";
import type { Flash } from "../../../modules/platform/flash.js";
import type {
  AnalogClass, DigitalClass, IoClasses, PulseCountClass, SerialClass,
} from "../../../modules/platform/io.js";
import type { KeyValueStore, PinMap, Platform, ResetReason } from "../../../modules/platform/platform.js";
import type { ExpectedImage, FirmwareSlots, RunningImage, Trial } from "../../../modules/platform/update.js";
import type { BridgeValue } from "../bridge/codec.js";
import { expect, Request } from "../bridge/messages.js";
import { callHost } from "./host-call.js";

export interface FlashGeometry {
  byteLength: number;
  blockSize: number;
  writeGranularity: number;
}

/** What the board tells the firmware at boot: the fixed facts of the platform. */
export interface BootFacts {
  name: string;
  resetReason: ResetReason;
  flash: FlashGeometry;
  pins: PinMap;
  update: { slotBytes: number; journal: FlashGeometry };
}

export function geometryOf(value: BridgeValue, what: string): FlashGeometry {
  const flash = expect.record(value, `${what} geometry`);
  return {
    byteLength: expect.number(flash.byteLength, `${what} byteLength`),
    blockSize: expect.number(flash.blockSize, `${what} blockSize`),
    writeGranularity: expect.number(flash.writeGranularity, `${what} writeGranularity`),
  };
}

export type IoKind = "Digital" | "Analog" | "PulseCount" | "Serial";

type Callback = (this: unknown, ...args: BridgeValue[]) => void;

interface OpenIo {
  target: object;
  callbacks: Record<string, Callback>;
}

export class BridgedSession {
  readonly platform: Platform;
  readonly #timers = new Map<number, { handle: TimerHandle; callback: (timer: TimerHandle) => void; repeats: boolean }>();
  readonly #io = new Map<number, OpenIo>();
  #ble: BleCallbacks | undefined;

  constructor(facts: BootFacts) {
    this.platform = Object.freeze({
      name: facts.name,
      clock: makeClock(),
      timers: this.#makeTimers(),
      flash: makeFlash(facts.flash),
      storage: makeStorage(),
      random: {
        getRandomValues(bytes: Uint8Array): Uint8Array {
          bytes.set(expect.bytes(callHost(Request.Random, bytes.length), "random bytes"));
          return bytes;
        },
      },
      health: {
        batteryVolts: () => expect.number(callHost(Request.HealthBattery), "battery volts"),
        internalHumidity: () => expect.number(callHost(Request.HealthHumidity), "humidity"),
        internalTemperature: () => expect.number(callHost(Request.HealthTemperature), "temperature"),
      },
      io: this.#makeIoClasses(),
      pins: facts.pins,
      ble: this.#makeBle(),
      resetReason: facts.resetReason,
      update: makeUpdate(facts.update),
      trace: (line: string) => { callHost(Request.Trace, line); },
      restart: (reason: string) => { callHost(Request.Restart, reason); },
    });
  }

  fireTimer(id: number): void {
    const timer = this.#timers.get(id);
    if (!timer) return;
    if (!timer.repeats) this.#timers.delete(id);
    timer.callback(timer.handle);
  }

  ioEvent(handle: number, callbackName: string, args: readonly BridgeValue[]): void {
    const open = this.#io.get(handle);
    const callback = open?.callbacks[callbackName];
    if (open && callback) callback.apply(open.target, args as BridgeValue[]);
  }

  bleEvent(event: string, args: readonly BridgeValue[]): void {
    const ble = this.#ble;
    if (!ble) return;
    switch (event) {
      case "onConnected": return ble.onConnected(expect.number(args[0], "connection"));
      case "onDisconnected": return ble.onDisconnected(expect.number(args[0], "connection"));
      case "onMTUExchanged": return ble.onMTUExchanged?.(expect.number(args[0], "MTU"));
      case "onCharacteristicWritten":
        return ble.onCharacteristicWritten(expect.string(args[0], "characteristic"), expect.bytes(args[1], "value"));
      default: throw new TypeError(`unknown BLE event "${event}"`);
    }
  }

  #makeTimers(): Timers {
    const timers: Timers = {
      set: (callback, ms = 0, repeatMs) => {
        const id = expect.number(callHost(Request.TimerSet, ms, repeatMs), "timer id");
        const handle: TimerHandle = { id };
        this.#timers.set(id, { handle, callback, repeats: repeatMs !== undefined && repeatMs > 0 });
        return handle;
      },
      repeat: (callback, ms) => timers.set(callback, ms, ms),
      clear: (handle) => {
        if (!handle) return;
        this.#timers.delete(handle.id);
        callHost(Request.TimerClear, handle.id);
      },
    };
    return timers;
  }

  #makeIoClasses(): IoClasses {
    return {
      Digital: this.#ioClass("Digital") as unknown as DigitalClass,
      Analog: this.#ioClass("Analog") as unknown as AnalogClass,
      PulseCount: this.#ioClass("PulseCount") as unknown as PulseCountClass,
      Serial: this.#ioClass("Serial") as unknown as SerialClass,
    };
  }

  /** One proxy class per kind; the board's class in Node checks the options and does the work. */
  #ioClass(kind: IoKind) {
    const open = this.#io;
    return class BridgedIo {
      readonly #handle: number;

      constructor(options: Record<string, unknown>) {
        const plain: Record<string, BridgeValue> = {};
        const callbacks: Record<string, Callback> = {};
        for (const key of Object.keys(options)) {
          const value = options[key];
          if (typeof value === "function") callbacks[key] = value as Callback;
          else plain[key] = value as BridgeValue;
        }
        this.#handle = expect.number(callHost(Request.IoOpen, kind, plain, Object.keys(callbacks)), "IO handle");
        open.set(this.#handle, { target: this, callbacks });
      }

      read(): BridgeValue {
        return callHost(Request.IoRead, this.#handle);
      }

      write(value: BridgeValue): void {
        callHost(Request.IoWrite, this.#handle, value);
      }

      set(options: Record<string, BridgeValue>): void {
        callHost(Request.IoSet, this.#handle, options);
      }

      close(): void {
        open.delete(this.#handle);
        callHost(Request.IoClose, this.#handle);
      }

      get resolution(): number {
        return expect.number(callHost(Request.IoGet, this.#handle, "resolution"), "resolution");
      }
    };
  }

  #makeBle(): BlePeripheral {
    return {
      start: (deviceName, callbacks) => {
        this.#ble = callbacks;
        callHost(Request.BleStart, deviceName);
      },
      notifyValue: (characteristic, value) => { callHost(Request.BleNotify, characteristic, value); },
      disconnect: () => { callHost(Request.BleDisconnect); },
      stop: () => {
        this.#ble = undefined;
        callHost(Request.BleStop);
      },
    };
  }
}

function makeClock(): Clock {
  return {
    monotonic: () => expect.number(callHost(Request.ClockMonotonic), "monotonic time"),
    now: () => expect.number(callHost(Request.ClockNow), "wall time"),
    get quality() {
      return expect.string(callHost(Request.ClockQuality), "time quality") as TimeQuality;
    },
    setTime: (epochMs, quality) => { callHost(Request.ClockSetTime, epochMs, quality); },
  };
}

function makeFlash(geometry: FlashGeometry): Flash {
  return {
    byteLength: geometry.byteLength,
    blockSize: geometry.blockSize,
    writeGranularity: geometry.writeGranularity,
    read: (offset, byteLength) => expect.bytes(callHost(Request.FlashRead, offset, byteLength), "flash bytes"),
    write: (offset, data) => { callHost(Request.FlashWrite, offset, data); },
    erase: (block) => { callHost(Request.FlashErase, block); },
  };
}

/** The host's board checks every slots call (test boot, image validity) and throws FirmwareSlotError back. */
function makeUpdate(facts: BootFacts["update"]): FirmwareSlots {
  const regionFlash = (region: string, geometry: FlashGeometry): Flash => ({
    ...geometry,
    read: (offset, byteLength) => expect.bytes(callHost(Request.UpdateFlashRead, region, offset, byteLength), "slot bytes"),
    write: (offset, data) => { callHost(Request.UpdateFlashWrite, region, offset, data); },
    erase: (block) => { callHost(Request.UpdateFlashErase, region, block); },
  });
  return {
    slotBytes: facts.slotBytes,
    journal: regionFlash("journal", facts.journal),
    running: () => expect.record(callHost(Request.UpdateCall, "running"), "running image") as unknown as RunningImage,
    lastTrial: () => expect.record(callHost(Request.UpdateCall, "lastTrial"), "last trial") as unknown as Trial,
    securityFloor: () => expect.number(callHost(Request.UpdateCall, "securityFloor"), "security floor"),
    inactiveSlot: () => regionFlash("inactive", geometryOf(callHost(Request.UpdateCall, "inactiveSlot"), "slot")),
    markBootable: (expected: ExpectedImage) => { callHost(Request.UpdateCall, "markBootable", { ...expected }); },
    confirm: () => { callHost(Request.UpdateCall, "confirm"); },
    reject: () => { callHost(Request.UpdateCall, "reject"); },
  };
}

function makeStorage(): KeyValueStore {
  return {
    read: (key) => {
      const value = callHost(Request.StorageRead, key);
      return value === undefined ? undefined : expect.bytes(value, "stored value");
    },
    write: (key, value) => { callHost(Request.StorageWrite, key, value); },
    delete: (key) => { callHost(Request.StorageDelete, key); },
    keys: () => expect.array(callHost(Request.StorageKeys), "storage keys").map((key) => expect.string(key, "storage key")),
  };
}
