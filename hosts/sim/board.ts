/**
 * The simulated logger board: the platform object the firmware runs against, plus the world-side
 * handles (pins, serial buses, BLE link, health sensors) that simulated peers plug into. It has no
 * Node dependency, so a whole scenario can also run inside XS.
 *
 * The board owns the firmware's lifetime: a restart or a power cut cancels every timer and closes
 * every IO object of the running firmware before it boots again, as a real reset would.
 */
import type { Clock, TimeQuality, TimerHandle, Timers } from "../../modules/platform/clock.js";
import type { HealthSensors, PinMap, Platform, Random, ResetReason } from "../../modules/platform/platform.js";
import type { FirmwareSlots } from "../../modules/platform/update.js";
import type { SerialPortName } from "../../modules/platform/io.js";
import { REFERENCE_PINS } from "../../modules/platform/reference-board.js";
import { BleLink } from "./ble-link.js";
import { makeIoClasses, PinBank } from "./board-io.js";
import { MemoryKeyValueStore } from "./kv-store.js";
import { NorFlash, PowerCut, type NorFlashOptions } from "./nor-flash.js";
import { SimBootloader, type SimBootloaderOptions } from "./ota/sim-bootloader.js";
import { Scheduler, type ScheduledEvent } from "./scheduler.js";
import { SeededRandom } from "./seeded-random.js";
import { SerialBus, type SerialTap } from "./serial-bus.js";

/** The firmware entry point: what modules/main.ts exports as `boot`. */
export type Firmware = (platform: Platform) => void;

export interface HealthModel {
  batteryVolts(timeMs: number): number;
  internalHumidity(timeMs: number): number;
  internalTemperature(timeMs: number): number;
}

export interface SimBoardOptions {
  name?: string;
  scheduler?: Scheduler;
  /** Seeds every random choice of the board (the CSPRNG included): same seed, same bytes. */
  seed?: number | string;
  /** The CSPRNG when no seed is given; the Node host passes crypto.getRandomValues. */
  random?: Random;
  flash?: NorFlash | Omit<NorFlashOptions, "random">;
  storage?: MemoryKeyValueStore;
  /** The firmware flash and bootloader (slots for updates); a factory-programmed one by default. */
  bootloader?: SimBootloader | SimBootloaderOptions;
  /** Wall-clock time at virtual time 0, in ms since the epoch. */
  epochMs?: number;
  /** How fast the board's RTC runs wrong, in parts per million. */
  rtcDriftPpm?: number;
  health?: Partial<HealthModel>;
  pins?: PinMap;
  trace?: (line: string) => void;
}

const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);
/** Point-to-point UARTs with a wire per direction; the others are shared half-duplex buses. */
const FULL_DUPLEX: readonly SerialPortName[] = ["console", "modem", "rs232"];
const PORT_BAUD: Record<SerialPortName, number> = { console: 115200, modem: 115200, rs485: 9600, rs232: 9600, sdi12: 1200 };

const DEFAULT_HEALTH: HealthModel = {
  batteryVolts: (t) => 3.65 - 0.00000000002 * t,
  internalHumidity: (t) => 38 + 4 * Math.sin((2 * Math.PI * t) / 86_400_000),
  internalTemperature: (t) => 21 + 6 * Math.sin((2 * Math.PI * t) / 86_400_000),
};

export class SimBoard {
  readonly name: string;
  readonly scheduler: Scheduler;
  readonly random: SeededRandom | undefined;
  readonly flash: NorFlash;
  readonly storage: MemoryKeyValueStore;
  readonly bootloader: SimBootloader;
  readonly pins: PinBank;
  readonly pinMap: PinMap;
  readonly ble: BleLink;
  readonly buses: Record<SerialPortName, SerialBus>;
  readonly health: HealthModel;
  /** Every line the firmware traced, newest last, bounded. */
  readonly traceLog: string[] = [];
  bootCount = 0;
  crashes: string[] = [];

  readonly #boardTaps: Record<SerialPortName, SerialTap>;
  readonly #csprng: Random;
  readonly #epochMs: number;
  readonly #rtcDriftPpm: number;
  readonly #traceSink: ((line: string) => void) | undefined;
  #firmware: Firmware | undefined;
  #generation = 0;
  #running = false;
  #bootAt = 0;
  #wallOffsetMs: number;
  #timeQuality: TimeQuality = "unset";
  #resources = new Set<{ close(): void }>();
  #timers = new Map<number, ScheduledEvent>();
  #nextTimerId = 1;

  constructor(options: SimBoardOptions = {}) {
    this.name = options.name ?? "logger";
    this.scheduler = options.scheduler ?? new Scheduler();
    this.random = options.seed !== undefined ? new SeededRandom(options.seed) : undefined;
    if (!this.random && !options.random) throw new Error("a simulated board needs a seed or a CSPRNG");
    this.#csprng = this.random ? this.random.fork("csprng") : options.random!;
    const flash = options.flash ?? { blocks: 64 };
    this.flash = flash instanceof NorFlash
      ? flash
      : new NorFlash({ ...flash, random: this.random?.fork("flash") ?? new SeededRandom(this.name) });
    this.storage = options.storage ?? new MemoryKeyValueStore();
    this.bootloader = options.bootloader instanceof SimBootloader
      ? options.bootloader
      : new SimBootloader({ seed: `${this.name}:firmware-flash`, ...options.bootloader });
    this.pins = new PinBank(this.scheduler);
    this.pinMap = options.pins ?? REFERENCE_PINS;
    this.ble = new BleLink(this.scheduler);
    this.health = { ...DEFAULT_HEALTH, ...options.health };
    this.#epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.#rtcDriftPpm = options.rtcDriftPpm ?? 0;
    this.#wallOffsetMs = 0;
    this.#traceSink = options.trace;
    const ports = Object.keys(PORT_BAUD) as SerialPortName[];
    this.buses = {} as Record<SerialPortName, SerialBus>;
    this.#boardTaps = {} as Record<SerialPortName, SerialTap>;
    for (const port of ports) {
      const bus = new SerialBus(this.scheduler, `${this.name}.${port}`, FULL_DUPLEX.includes(port) ? "full" : "half");
      this.buses[port] = bus;
      this.#boardTaps[port] = bus.tap("board", { baud: PORT_BAUD[port] });
    }
  }

  get running(): boolean {
    return this.#running;
  }

  /** Real time in the simulated world (what a reference clock on the wall says). */
  trueTime(): number {
    return this.#epochMs + this.scheduler.now;
  }

  /** Installs the firmware and powers the board on. */
  start(firmware: Firmware): void {
    this.#firmware = firmware;
    this.#boot("power-on");
  }

  /** Power disappears now: the firmware stops wherever it is; flash keeps what had landed. */
  cutPower(): void {
    this.flash.cutPower();
    this.bootloader.flash.cutPower();
    this.#halt();
  }

  /** Power returns: the firmware boots again from flash and storage. */
  powerOn(): void {
    this.flash.powerOn();
    this.bootloader.flash.powerOn();
    this.#boot("power-on");
  }

  /** The platform object of the current boot. A new one is made at every boot. */
  #makePlatform(resetReason: ResetReason, update: FirmwareSlots): Platform {
    const generation = this.#generation;
    const alive = () => this.#running && this.#generation === generation;
    const board = this;
    const clock: Clock = {
      monotonic: () => this.scheduler.now - this.#bootAt,
      now: () => Math.floor(this.#epochMs + this.scheduler.now * (1 + this.#rtcDriftPpm / 1e6) + this.#wallOffsetMs),
      get quality() {
        return board.#timeQuality;
      },
      setTime: (epochMs, quality) => {
        this.#wallOffsetMs += epochMs - clock.now();
        this.#timeQuality = quality;
      },
    };
    const timers: Timers = {
      set: (callback, ms = 0, repeatMs) => {
        const handle: TimerHandle = { id: this.#nextTimerId++ };
        const fire = (delay: number) => {
          this.#timers.set(handle.id, this.scheduler.after(delay, () => {
            if (!alive()) return;
            if (repeatMs !== undefined && repeatMs > 0) fire(repeatMs);
            else this.#timers.delete(handle.id);
            this.#guard(() => callback(handle));
          }));
        };
        fire(ms);
        return handle;
      },
      repeat: (callback, ms) => timers.set(callback, ms, ms),
      clear: (handle) => {
        if (!handle) return;
        this.scheduler.cancel(this.#timers.get(handle.id));
        this.#timers.delete(handle.id);
      },
    };
    const health: HealthSensors = {
      batteryVolts: () => this.health.batteryVolts(this.scheduler.now),
      internalHumidity: () => this.health.internalHumidity(this.scheduler.now),
      internalTemperature: () => this.health.internalTemperature(this.scheduler.now),
    };
    const io = makeIoClasses({
      scheduler: this.scheduler,
      pins: this.pins,
      serialPorts: this.#boardTaps,
      own: (resource) => this.#resources.add(resource),
      disown: (resource) => this.#resources.delete(resource),
      guard: (run) => { if (alive()) this.#guard(run); },
    });
    return Object.freeze({
      name: `sim:${this.name}`,
      clock,
      timers,
      flash: this.flash,
      storage: this.storage,
      random: this.#csprng,
      health,
      io,
      pins: this.pinMap,
      ble: this.ble.peripheral(),
      resetReason,
      update,
      trace: (line: string) => this.#trace(line),
      restart: (reason: string) => {
        this.#trace(`restart: ${reason}`);
        this.scheduler.after(0, () => { if (alive()) this.#reboot("restart"); });
      },
    });
  }

  #boot(reason: ResetReason): void {
    if (!this.#firmware) throw new Error("no firmware installed");
    this.#halt();
    this.#generation++;
    this.#running = true;
    this.#bootAt = this.scheduler.now;
    this.bootCount++;
    if (this.#timeQuality !== "unset") this.#timeQuality = "rtc";
    const firmware = this.#firmware;
    this.#guard(() => {
      const update = this.bootloader.boot(reason);
      if (!update) {
        this.#running = false;
        this.#trace("bootloader: no bootable image");
        return;
      }
      firmware(this.#makePlatform(reason, update));
    });
  }

  #reboot(reason: ResetReason): void {
    this.#boot(reason);
  }

  #halt(): void {
    this.#running = false;
    for (const event of this.#timers.values()) this.scheduler.cancel(event);
    this.#timers.clear();
    for (const resource of [...this.#resources]) resource.close();
    this.#resources.clear();
    this.ble.reset();
  }

  /**
   * Runs firmware code. A power cut inside it halts the board; any other exception is a crash,
   * which on the real board is a panic and a reset: the simulator records it and reboots.
   */
  #guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      if (error instanceof PowerCut) {
        this.#halt();
        return;
      }
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.crashes.push(message);
      this.#trace(`crash: ${message}`);
      const generation = this.#generation;
      this.scheduler.after(0, () => { if (this.#generation === generation) this.#reboot("crash"); });
    }
  }

  #trace(line: string): void {
    this.traceLog.push(line);
    if (this.traceLog.length > 1000) this.traceLog.splice(0, this.traceLog.length - 1000);
    this.#traceSink?.(line);
  }

  /** A tap on a board bus for a simulated peer (sensor, modem, terminal). */
  attach(port: SerialPortName, peerName: string): SerialTap {
    return this.buses[port].tap(peerName, { baud: PORT_BAUD[port] });
  }
}
