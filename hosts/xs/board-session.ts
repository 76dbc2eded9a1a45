/**
 * Node side of one boot of a bridged firmware: answers the requests the firmware makes from XS
 * with the board's real platform object (SimBoard's clock, timers, NorFlash, storage, CSPRNG,
 * IO classes, BLE), and turns the board's callbacks into deliveries to XS.
 */
import type { BleCallbacks } from "../../modules/platform/ble.js";
import { TIME_QUALITIES, type TimeQuality, type TimerHandle } from "../../modules/platform/clock.js";
import type { AnalogIO, DigitalIO, PulseCountIO, SerialIO } from "../../modules/platform/io.js";
import type { Flash, Platform } from "../../modules/platform/platform.js";
import type { BridgeValue } from "./bridge/codec.js";
import { Delivery, expect, replyTo, Request, type Call, type Reply } from "./bridge/messages.js";
import { answerService, type HostServices } from "./host-services.js";

/** Sends a delivery to XS and returns when the firmware has handled it; rethrows its exception. */
export type Deliver = (code: number, args: readonly BridgeValue[]) => void;

type OpenIo =
  | { kind: "Digital"; io: DigitalIO }
  | { kind: "Analog"; io: AnalogIO }
  | { kind: "PulseCount"; io: PulseCountIO }
  | { kind: "Serial"; io: SerialIO };

const IO_KINDS = ["Digital", "Analog", "PulseCount", "Serial"] as const;

export class BoardSession {
  readonly #timers = new Map<number, TimerHandle>();
  readonly #io = new Map<number, OpenIo>();
  #nextIoHandle = 1;

  constructor(
    readonly platform: Platform,
    readonly deliver: Deliver,
    readonly log: (level: string, text: string) => void,
  ) {}

  /** Facts the firmware needs at boot; the Boot delivery carries them. */
  bootArguments(): BridgeValue[] {
    const { flash, pins, update } = this.platform;
    return [
      this.platform.name,
      this.platform.resetReason,
      geometry(flash),
      pins as unknown as Record<string, BridgeValue>,
      { slotBytes: update.slotBytes, journal: geometry(update.journal) },
    ];
  }

  answer(call: Call): Reply {
    const services: HostServices = {
      log: this.log,
      random: (bytes) => { this.platform.random.getRandomValues(bytes); },
    };
    return answerService(call, services) ?? replyTo(() => this.#perform(call));
  }

  #perform({ code, args }: Call): BridgeValue | void {
    const { clock, flash, storage, health } = this.platform;
    switch (code) {
      case Request.ClockMonotonic: return clock.monotonic();
      case Request.ClockNow: return clock.now();
      case Request.ClockQuality: return clock.quality;
      case Request.ClockSetTime: return clock.setTime(expect.number(args[0], "epoch ms"), timeQuality(args[1]));
      case Request.TimerSet: return this.#setTimer(args);
      case Request.TimerClear: return this.#clearTimer(expect.number(args[0], "timer id"));
      case Request.FlashRead: return flash.read(expect.number(args[0], "offset"), expect.number(args[1], "byteLength"));
      case Request.FlashWrite: return flash.write(expect.number(args[0], "offset"), expect.bytes(args[1], "data"));
      case Request.FlashErase: return flash.erase(expect.number(args[0], "block"));
      case Request.StorageRead: return storage.read(expect.string(args[0], "key"));
      case Request.StorageWrite: return storage.write(expect.string(args[0], "key"), expect.bytes(args[1], "value"));
      case Request.StorageDelete: return storage.delete(expect.string(args[0], "key"));
      case Request.StorageKeys: return storage.keys();
      case Request.HealthBattery: return health.batteryVolts();
      case Request.HealthHumidity: return health.internalHumidity();
      case Request.HealthTemperature: return health.internalTemperature();
      case Request.Trace: return this.platform.trace(expect.string(args[0], "trace line"));
      case Request.Restart: return this.platform.restart(expect.string(args[0], "restart reason"));
      case Request.IoOpen: return this.#openIo(args);
      case Request.IoRead: return this.#ioOf(args[0]).io.read();
      case Request.IoWrite: return this.#writeIo(this.#ioOf(args[0]), args[1]);
      case Request.IoSet: return this.#setIo(this.#ioOf(args[0]), expect.record(args[1], "serial options"));
      case Request.IoClose: return this.#closeIo(expect.number(args[0], "IO handle"));
      case Request.IoGet: return this.#getIo(this.#ioOf(args[0]), expect.string(args[1], "property"));
      case Request.BleStart: return this.platform.ble.start(expect.string(args[0], "device name"), this.#bleForwarders());
      case Request.BleNotify: return this.platform.ble.notifyValue(expect.string(args[0], "characteristic"), expect.bytes(args[1], "value"));
      case Request.BleDisconnect: return this.platform.ble.disconnect();
      case Request.BleStop: return this.platform.ble.stop();
      case Request.UpdateCall: return this.#updateCall(expect.string(args[0], "slots call"), args[1]);
      case Request.UpdateFlashRead:
        return this.#slotsRegion(args[0]).read(expect.number(args[1], "offset"), expect.number(args[2], "byteLength"));
      case Request.UpdateFlashWrite: return this.#slotsRegion(args[0]).write(expect.number(args[1], "offset"), expect.bytes(args[2], "data"));
      case Request.UpdateFlashErase: return this.#slotsRegion(args[0]).erase(expect.number(args[1], "block"));
      default: throw new TypeError(`unknown bridge request 0x${code.toString(16)}`);
    }
  }

  #updateCall(name: string, arg: BridgeValue): BridgeValue | void {
    const update = this.platform.update;
    switch (name) {
      case "running": return { ...update.running() };
      case "lastTrial": {
        const trial = update.lastTrial();
        return { mark: trial.mark, outcome: { ...trial.outcome } };
      }
      case "securityFloor": return update.securityFloor();
      case "inactiveSlot": return geometry(update.inactiveSlot());
      case "markBootable": {
        const expected = expect.record(arg, "expected image");
        return update.markBootable({
          byteLength: expect.number(expected.byteLength, "byteLength"),
          version: expect.string(expected.version, "version"),
          securityCounter: expect.number(expected.securityCounter, "securityCounter"),
        });
      }
      case "confirm": return update.confirm();
      case "reject": return update.reject();
      default: throw new TypeError(`unknown slots call "${name}"`);
    }
  }

  #slotsRegion(region: BridgeValue): Flash {
    const name = expect.string(region, "slots region");
    if (name === "journal") return this.platform.update.journal;
    if (name === "inactive") return this.platform.update.inactiveSlot();
    throw new TypeError(`unknown slots region "${name}"`);
  }

  #setTimer(args: BridgeValue[]): number {
    const ms = expect.number(args[0], "timer ms");
    const repeatMs = args[1] === undefined ? undefined : expect.number(args[1], "timer repeat ms");
    const repeats = repeatMs !== undefined && repeatMs > 0;
    const handle = this.platform.timers.set((timer) => {
      if (!repeats) this.#timers.delete(timer.id);
      this.deliver(Delivery.TimerFire, [timer.id]);
    }, ms, repeatMs);
    this.#timers.set(handle.id, handle);
    return handle.id;
  }

  #clearTimer(id: number): void {
    this.platform.timers.clear(this.#timers.get(id));
    this.#timers.delete(id);
  }

  #openIo(args: BridgeValue[]): number {
    const kind = expect.string(args[0], "IO kind");
    if (!(IO_KINDS as readonly string[]).includes(kind)) throw new TypeError(`unknown IO kind "${kind}"`);
    const options: Record<string, unknown> = { ...expect.record(args[1], "IO options") };
    const handle = this.#nextIoHandle++;
    const deliver = this.deliver;
    for (const name of expect.array(args[2], "IO callbacks")) {
      const callback = expect.string(name, "IO callback name");
      options[callback] = (...callbackArgs: BridgeValue[]) => deliver(Delivery.IoEvent, [handle, callback, callbackArgs]);
    }
    // The board's classes check the options; a bad one throws back to XS like any IO error.
    const IoClass = this.platform.io[kind as OpenIo["kind"]] as unknown as new (options: unknown) => OpenIo["io"];
    this.#io.set(handle, { kind, io: new IoClass(options) } as OpenIo);
    return handle;
  }

  #ioOf(handle: BridgeValue): OpenIo {
    const open = this.#io.get(expect.number(handle, "IO handle"));
    if (!open) throw new Error(`IO handle ${String(handle)} is closed`);
    return open;
  }

  #writeIo(open: OpenIo, value: BridgeValue): void {
    switch (open.kind) {
      case "Digital": return open.io.write(expect.number(value, "digital level") ? 1 : 0);
      case "PulseCount": return open.io.write(expect.number(value, "pulse count"));
      case "Serial": return open.io.write(expect.bytes(value, "serial data"));
      case "Analog": throw new TypeError("Analog has no write");
    }
  }

  #setIo(open: OpenIo, options: Record<string, BridgeValue>): void {
    if (open.kind !== "Serial") throw new TypeError(`${open.kind} has no set`);
    open.io.set(options as Parameters<SerialIO["set"]>[0]);
  }

  #getIo(open: OpenIo, property: string): BridgeValue {
    if (open.kind === "Analog" && property === "resolution") return open.io.resolution;
    throw new TypeError(`${open.kind} has no property "${property}" on the bridge`);
  }

  #closeIo(handle: number): void {
    const open = this.#io.get(handle);
    this.#io.delete(handle);
    open?.io.close();
  }

  #bleForwarders(): BleCallbacks {
    return {
      onConnected: (connection) => this.deliver(Delivery.BleEvent, ["onConnected", [connection]]),
      onDisconnected: (connection) => this.deliver(Delivery.BleEvent, ["onDisconnected", [connection]]),
      onMTUExchanged: (mtu) => this.deliver(Delivery.BleEvent, ["onMTUExchanged", [mtu]]),
      onCharacteristicWritten: (characteristic, value) =>
        this.deliver(Delivery.BleEvent, ["onCharacteristicWritten", [characteristic, value]]),
    };
  }
}

function timeQuality(value: BridgeValue): TimeQuality {
  const quality = expect.string(value, "time quality");
  if (!(TIME_QUALITIES as readonly string[]).includes(quality)) throw new RangeError(`unknown time quality "${quality}"`);
  return quality as TimeQuality;
}

function geometry(flash: Flash): Record<string, BridgeValue> {
  return { byteLength: flash.byteLength, blockSize: flash.blockSize, writeGranularity: flash.writeGranularity };
}
