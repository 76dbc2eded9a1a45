/**
 * A simulated Quectel BG95 on the board's modem UART and power lines. It boots on a PWRKEY
 * press (>= 500 ms with the supply on), prints RDY / APP RDY, interprets the AT dialect the
 * driver uses with realistic delays, reports registration and MQTT events as URCs, powers down
 * on AT+QPOWD or a long PWRKEY press, restarts on AT+CFUN=1,1 or RESET_N (>= 2 s), and dies
 * with its supply. It updates its own firmware by DFOTA (fota-stack.ts). Network operations go
 * through a pluggable ModemNetwork; faults are injected through `faults`, `radio` and
 * `injectGarbage`. Nothing here needs Node.
 */
import type { PinMap } from "../../../modules/platform/platform.js";
import type { SimBoard } from "../board.js";
import type { PinBank } from "../board-io.js";
import type { Scheduler } from "../scheduler.js";
import { SeededRandom } from "../seeded-random.js";
import type { SerialTap } from "../serial-bus.js";
import { parseAtLine } from "./at-line.js";
import type { Bg95Context, CommandHandler, Reply } from "./bg95-context.js";
import { Bg95Faults, cures, type HangCure } from "./bg95-faults.js";
import { freshSettings, type Bg95Settings, type RegistrationDomain } from "./bg95-settings.js";
import { fileCommands } from "./commands-files.js";
import { generalCommands, registrationLine } from "./commands-general.js";
import { DEFAULT_FOTA_TIMING, FotaStack, type FotaState, type FotaTiming } from "./fota-stack.js";
import { HttpStack } from "./http-stack.js";
import type { ModemNetwork } from "./modem-network.js";
import { MqttStack } from "./mqtt-stack.js";
import { RadioModel, type RadioOptions } from "./radio-model.js";
import { SslContexts } from "./ssl-contexts.js";

export interface Bg95Timing {
  /** Answer time of an ordinary command. */
  commandMs: number;
  /** From the PWRKEY threshold (or a restart) to RDY. */
  bootMs: number;
  /** From RDY to APP RDY. */
  appReadyMs: number;
  /** From AT+QPOWD (or the off pulse) to POWERED DOWN. */
  shutdownMs: number;
  /** From the OK of AT+CFUN=1,1 to the restart. */
  restartMs: number;
  pdpActivationMs: number;
  fota: FotaTiming;
}

export const DEFAULT_BG95_TIMING: Bg95Timing = Object.freeze({
  commandMs: 20, bootMs: 2500, appReadyMs: 400, shutdownMs: 1200, restartMs: 300, pdpActivationMs: 1200, fota: DEFAULT_FOTA_TIMING,
});
/** From the last DFOTA report to the restart into the new firmware. */
const FOTA_REBOOT_MS = 500;

/** PWRKEY and RESET_N thresholds (BG95 hardware design). */
const POWER_ON_PRESS_MS = 500;
const POWER_OFF_PRESS_MS = 650;
const RESET_PRESS_MS = 2000;
/** From losing registration to the PDP context dropping. */
const PDP_LOSS_MS = 1500;

export interface Bg95Wiring {
  scheduler: Scheduler;
  /** The module's end of the board's modem UART (`board.attach("modem", "bg95")`). */
  tap: SerialTap;
  pins: PinBank;
  pinMap: PinMap;
  /** UTC epoch ms of the simulated world, for NITZ. */
  trueTime(): number;
}

export interface SimulatedBg95Options {
  radio?: RadioOptions;
  timing?: Partial<Bg95Timing>;
  seed?: number | string;
}

export type PowerState = "off" | "booting" | "on" | "shutting-down";

interface Collector {
  length: number | "ctrl-z";
  bytes: number[];
  timer: ReturnType<Scheduler["after"]>;
  got: (data: Uint8Array | undefined) => void;
}

const CR = 0x0d;
const LF = 0x0a;
const CTRL_Z = 0x1a;
const ESC = 0x1b;
const CME_TEXT: Record<number, string> = {
  3: "operation not allowed", 4: "operation not supported", 10: "SIM not inserted", 13: "SIM failure", 30: "no network service",
};

export class SimulatedBg95 {
  readonly faults = new Bg95Faults();
  readonly radio: RadioModel;
  /** The module's file system; it survives restarts and power cuts. */
  readonly files = new Map<string, Uint8Array>();
  /** Command lines received, oldest first (bounded). */
  readonly received: string[] = [];
  readonly stats = { boots: 0, commands: 0, powerDowns: 0, restarts: 0, hangsCured: 0, lostUrcs: 0 };
  /** The DFOTA under way, if any; an interrupted RESTORE survives power loss. */
  readonly fota: FotaState = { stage: "idle", percent: 0 };

  readonly #wiring: Bg95Wiring;
  readonly #network: ModemNetwork;
  readonly #timing: Bg95Timing;
  readonly #random: SeededRandom;
  readonly #identity: { imei: string; imsi: string; iccid: string; firmware: string };
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();
  #power: PowerState = "off";
  /** Bumped at every power transition: answers and URCs of an earlier boot are dropped. */
  #epoch = 0;
  #settings: Bg95Settings = freshSettings();
  #handlers = new Map<string, CommandHandler>();
  #mqtt: MqttStack | undefined;
  #http: HttpStack | undefined;
  #fotaStack: FotaStack | undefined;
  /** Applying a DFOTA package: the module takes no commands. */
  #applying = false;
  #line: number[] = [];
  #busy = false;
  #queued: string[] = [];
  /** URCs that arrived while a command was being processed: the module sends them after its answer. */
  #deferred: Array<() => void> = [];
  #collector: Collector | undefined;
  #silent = false;
  #stuckPrefix: string | undefined;
  #keyHeld = false;
  #keyPress = 0;
  #resetSince: number | undefined;

  /** Puts a simulated BG95 on a simulated board's modem port and power lines. */
  static attach(board: SimBoard, network: ModemNetwork, options: SimulatedBg95Options = {}): SimulatedBg95 {
    return new SimulatedBg95({
      scheduler: board.scheduler,
      tap: board.attach("modem", "bg95"),
      pins: board.pins,
      pinMap: board.pinMap,
      trueTime: () => board.trueTime(),
    }, network, options);
  }

  constructor(wiring: Bg95Wiring, network: ModemNetwork, options: SimulatedBg95Options = {}) {
    this.#wiring = wiring;
    this.#network = network;
    this.#timing = { ...DEFAULT_BG95_TIMING, ...options.timing };
    this.#random = new SeededRandom(options.seed ?? "bg95");
    const digits = (n: number) => Array.from({ length: n }, () => this.#random.below(10)).join("");
    this.#identity = { imei: `86${digits(13)}`, imsi: `00101${digits(10)}`, iccid: `8988${digits(15)}`, firmware: "BG95M3LAR02A03_01.200.01.200" };
    this.radio = new RadioModel(wiring.scheduler, options.radio);
    this.radio.onChange = () => this.#onRadioChange();
    wiring.tap.listener = { onBytes: (bytes) => this.#onBytes(bytes) };
    const { pins, pinMap } = wiring;
    pins.watch(pinMap.modemSupply, (level) => { if (!level) this.#supplyLost(); });
    pins.watch(pinMap.modemPowerKey, (level) => (level ? this.#keyDown() : (this.#keyHeld = false)));
    pins.watch(pinMap.modemReset, (level) => (level ? (this.#resetSince = wiring.scheduler.now) : this.#resetReleased()));
  }

  /** What `AT+QGMR` reports. */
  get firmware(): string {
    return this.#identity.firmware;
  }

  get power(): PowerState {
    return this.#power;
  }

  get supplied(): boolean {
    return this.#wiring.pins.level(this.#wiring.pinMap.modemSupply) === 1;
  }

  /** True while a hang fault keeps the module from answering. */
  get hung(): boolean {
    return this.#silent || this.#stuckPrefix !== undefined;
  }

  /** The module's own firmware crashes and restarts (watchdog): RDY arrives unasked. */
  crash(): void {
    if (this.#power === "on") this.#restart("time");
  }

  /** Sends `length` bytes of line noise now. */
  injectGarbage(length: number): void {
    if (this.#power !== "on") return;
    this.#send(this.#noise(length));
  }

  // ---- power ------------------------------------------------------------------------------

  #keyDown(): void {
    this.#keyHeld = true;
    const press = ++this.#keyPress;
    const held = (ms: number, then: () => void) => this.#wiring.scheduler.after(ms, () => {
      if (press === this.#keyPress && this.#keyHeld && this.supplied) then();
    });
    if (this.#power === "off") {
      held(POWER_ON_PRESS_MS, () => { if (this.#power === "off") this.#boot(); });
    } else if (this.#power === "on" || this.#power === "booting") {
      held(POWER_OFF_PRESS_MS, () => {
        if (this.#power === "off" || this.#power === "shutting-down") return;
        if (this.#silent && !this.#cure("power-key")) return;
        this.#cure("power-key");
        this.#shutDown(!this.#silent);
      });
    }
  }

  #resetReleased(): void {
    const since = this.#resetSince;
    this.#resetSince = undefined;
    if (since === undefined || this.#wiring.scheduler.now - since < RESET_PRESS_MS) return;
    if (this.#power === "off" || !this.supplied) return;
    if (this.#silent && !this.#cure("reset-line")) return;
    this.#restart("reset-line");
  }

  #supplyLost(): void {
    this.#cure("power-cut");
    if (this.#power !== "off") this.stats.powerDowns++;
    this.#off();
  }

  /** Ends the hang fault if `action` is strong enough; true when nothing hangs any more. */
  #cure(action: HangCure): boolean {
    const hang = this.faults.hang;
    if (!hang || !(this.#silent || this.#stuckPrefix)) return true;
    if (!cures(action, hang.curedBy)) return false;
    this.faults.hang = undefined;
    this.#silent = false;
    this.#stuckPrefix = undefined;
    this.stats.hangsCured++;
    return true;
  }

  #boot(): void {
    this.#off();
    this.#power = "booting";
    this.stats.boots++;
    const epoch = this.#epoch;
    this.#installStacks();
    const later = (ms: number, run: () => void) => this.#wiring.scheduler.after(ms, () => { if (epoch === this.#epoch) run(); });
    later(this.#timing.bootMs, () => {
      this.#power = "on";
      if (this.fota.stage === "restoring") return this.#fotaStack?.resume();
      this.#urcNow("RDY");
      later(this.#timing.appReadyMs, () => {
        this.#urcNow("+CFUN: 1");
        if (this.radio.simPresent) this.#urcNow("+CPIN: READY");
        this.#urcNow("+QUSIM: 1");
        this.#urcNow("APP RDY");
        this.#urcNow("+QIND: SMS DONE");
        this.radio.radioOn();
      });
    });
  }

  #restart(cause: HangCure | "fota"): void {
    if (cause !== "fota") this.#cure(cause);
    this.stats.restarts++;
    this.#off();
    const epoch = this.#epoch;
    this.#wiring.scheduler.after(this.#timing.restartMs, () => { if (epoch === this.#epoch && this.supplied) this.#boot(); });
  }

  #shutDown(announce: boolean): void {
    this.#power = "shutting-down";
    this.#epoch++;
    this.#mqtt?.shutdown();
    const epoch = this.#epoch;
    this.#wiring.scheduler.after(this.#timing.shutdownMs, () => {
      if (epoch !== this.#epoch) return;
      if (announce) this.#send(this.#encoder.encode("\r\nPOWERED DOWN\r\n"));
      this.stats.powerDowns++;
      this.#off();
    });
  }

  /** Off, forgetting everything volatile (the file system stays). */
  #off(): void {
    this.#power = "off";
    this.#epoch++;
    this.#mqtt?.shutdown();
    this.#mqtt = undefined;
    this.#http = undefined;
    this.#applying = false;
    if (this.fota.stage !== "restoring") {
      this.fota.stage = "idle";
      this.fota.percent = 0;
    }
    this.radio.radioOff();
    this.#settings = freshSettings();
    this.#line = [];
    this.#busy = false;
    this.#queued = [];
    this.#deferred = [];
    if (this.#collector) this.#wiring.scheduler.cancel(this.#collector.timer);
    this.#collector = undefined;
  }

  #installStacks(): void {
    const ctx = this.#context();
    const ssl = new SslContexts(ctx);
    const mqtt = new MqttStack(ctx, ssl);
    const http = new HttpStack(ctx, ssl);
    const fota = new FotaStack(ctx, {
      state: this.fota,
      firmware: () => this.#identity.firmware,
      setApplying: (applying) => { this.#applying = applying; },
      rebootInto: (firmware) => {
        this.#identity.firmware = firmware;
        const epoch = this.#epoch;
        this.#wiring.scheduler.after(FOTA_REBOOT_MS, () => { if (epoch === this.#epoch) this.#restart("fota"); });
      },
    }, this.#timing.fota);
    this.#mqtt = mqtt;
    this.#http = http;
    this.#fotaStack = fota;
    this.#handlers = new Map<string, CommandHandler>();
    const general = generalCommands({
      ...ctx,
      settings: () => this.#settings,
      restartAfterReply: () => {
        const epoch = this.#epoch;
        this.#wiring.scheduler.after(this.#timing.commandMs + 60 + this.#timing.restartMs, () => {
          if (epoch === this.#epoch) this.#restart("cfun");
        });
      },
      powerDownAfterReply: (announce) => {
        const epoch = this.#epoch;
        this.#wiring.scheduler.after(this.#timing.commandMs + 10, () => { if (epoch === this.#epoch) this.#shutDown(announce); });
      },
      identity: this.#identity,
      timing: { pdpActivationMs: this.#timing.pdpActivationMs },
    });
    for (const table of [general, fileCommands(ctx), ssl.commands(), mqtt.commands(), http.commands(), fota.commands()]) {
      for (const [name, handler] of table) this.#handlers.set(name, handler);
    }
  }

  #context(): Bg95Context {
    const sim = this;
    const ctx: Bg95Context = {
      scheduler: this.#wiring.scheduler,
      radio: this.radio,
      faults: this.faults,
      network: this.#network,
      random: this.#random,
      files: this.files,
      urc: (line, delayMs = 0) => {
        const epoch = this.#epoch;
        this.#wiring.scheduler.after(delayMs, () => { if (epoch === this.#epoch) this.#urcNow(line); });
      },
      urcWithPayload: (head, payload, tail) => {
        if (this.#power !== "on" || this.#silent) return;
        if (this.#busy) {
          this.#deferred.push(() => ctx.urcWithPayload(head, payload, tail));
          return;
        }
        if (this.faults.takeLostUrc(head)) {
          this.stats.lostUrcs++;
          return;
        }
        const start = this.#encoder.encode(`\r\n${head}`);
        const end = this.#encoder.encode(`${tail}\r\n`);
        const out = new Uint8Array(start.length + payload.length + end.length);
        out.set(start);
        out.set(payload, start.length);
        out.set(end, start.length + payload.length);
        this.#send(out);
      },
      sameBoot: () => {
        const epoch = this.#epoch;
        return () => epoch === sim.#epoch;
      },
      trueTime: () => this.#wiring.trueTime(),
      pdpAddress: (context) => this.#settings.pdp.get(context),
    };
    return ctx;
  }

  // ---- network events ---------------------------------------------------------------------

  #onRadioChange(): void {
    if (this.#power !== "on") return;
    const settings = this.#settings;
    for (const domain of ["eps", "gprs", "cs"] as RegistrationDomain[]) {
      const stat = this.radio.stat(domain);
      if (settings.urcMode[domain] >= 1 && settings.reported[domain] !== stat) {
        settings.reported[domain] = stat;
        this.#urcNow(registrationLine(this.#context(), settings, domain, false));
      }
    }
    if (this.radio.registered || !settings.pdp.size) return;
    const epoch = this.#epoch;
    this.#wiring.scheduler.after(PDP_LOSS_MS, () => {
      if (epoch !== this.#epoch || this.radio.registered) return;
      for (const context of [...settings.pdp.keys()]) {
        settings.pdp.delete(context);
        this.#urcNow(`+QIURC: "pdpdeact",${context}`);
      }
      this.#mqtt?.networkLost();
      this.#http?.networkLost();
    });
  }

  // ---- UART -------------------------------------------------------------------------------

  #onBytes(bytes: Uint8Array): void {
    if (this.#power !== "on" || this.#silent || this.#applying) return;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (this.#collector) {
        this.#collect(byte);
        continue;
      }
      if (byte === LF) continue;
      if (byte !== CR) {
        if (this.#line.length < 1100) this.#line.push(byte);
        continue;
      }
      const text = this.#decoder.decode(Uint8Array.from(this.#line)).trim();
      this.#line = [];
      if (!text) continue;
      if (this.#busy) this.#queued.push(text);
      else this.#execute(text);
      if (this.#power !== "on" || this.#silent) return;
    }
  }

  #collect(byte: number): void {
    const collector = this.#collector!;
    if (collector.length === "ctrl-z") {
      if (byte === ESC) return this.#endCollect(undefined);
      if (byte === CTRL_Z) return this.#endCollect(Uint8Array.from(collector.bytes));
      collector.bytes.push(byte);
      return;
    }
    collector.bytes.push(byte);
    if (collector.bytes.length === collector.length) this.#endCollect(Uint8Array.from(collector.bytes));
  }

  #endCollect(data: Uint8Array | undefined): void {
    const collector = this.#collector!;
    this.#collector = undefined;
    this.#wiring.scheduler.cancel(collector.timer);
    collector.got(data);
  }

  #execute(text: string): void {
    this.received.push(text);
    if (this.received.length > 2000) this.received.splice(0, 1000);
    this.stats.commands++;
    if (this.#settings.echo) this.#send(this.#encoder.encode(`${text}\r`));
    const upper = text.toUpperCase();
    const hang = this.faults.hang;
    if (hang && !this.hung && upper.startsWith(hang.trigger.toUpperCase())) {
      if (hang.mode === "stuck") {
        this.#stuckPrefix = hang.trigger.toUpperCase();
        return;
      }
      this.#silent = true;
      this.#busy = false;
      this.#queued = [];
      this.#deferred = [];
      if (hang.curedBy === "time") {
        this.#wiring.scheduler.after(hang.durationMs ?? 10_000, () => this.#cure("time"));
      }
      return;
    }
    if (this.#stuckPrefix && upper.startsWith(this.#stuckPrefix)) return;
    const line = parseAtLine(text);
    const handler = line ? this.#handlers.get(line.name) : undefined;
    this.#busy = true;
    const reply = this.#reply();
    if (!line || !handler) return reply.error();
    handler(line, reply);
  }

  #reply(): Reply {
    const scheduler = this.#wiring.scheduler;
    const epoch = this.#epoch;
    const alive = () => epoch === this.#epoch && !this.#silent;
    let finished = false;
    const complete = (delayMs: number, output: () => void) => {
      if (finished) return;
      finished = true;
      scheduler.after(delayMs, () => {
        if (!alive()) return;
        output();
        this.#commandDone();
      });
    };
    const final = (text: string) => {
      if (this.faults.corruptNextFinal) {
        this.faults.corruptNextFinal = false;
        this.#send(this.#noise(text.length + 2));
        return;
      }
      this.#sendText(`\r\n${text}\r\n`);
    };
    return {
      ok: (lines = [], delayMs = this.#timing.commandMs) => complete(delayMs, () => {
        for (const line of lines) this.#sendText(`\r\n${line}\r\n`);
        final("OK");
      }),
      error: (cme, delayMs = this.#timing.commandMs) => complete(delayMs, () => {
        const cmee = this.#settings.cmee;
        if (cme === undefined || cmee === 0) return final("ERROR");
        final(`+CME ERROR: ${cmee === 1 ? cme : CME_TEXT[cme] ?? "unknown"}`);
      }),
      collect: (prompt, length, timeoutMs, got) => {
        scheduler.after(this.#timing.commandMs, () => {
          if (!alive()) return;
          this.#sendText(prompt === "prompt" ? "\r\n> " : "\r\nCONNECT\r\n");
          this.#collector = {
            length,
            bytes: [],
            got,
            timer: scheduler.after(timeoutMs, () => { if (alive() && this.#collector) this.#endCollect(undefined); }),
          };
        });
      },
      sendData: (data, delayMs = this.#timing.commandMs) => complete(delayMs, () => {
        this.#sendText("\r\nCONNECT\r\n");
        this.#send(data);
        final("OK");
      }),
    };
  }

  #commandDone(): void {
    this.#busy = false;
    for (const send of this.#deferred.splice(0)) send();
    const next = this.#queued.shift();
    if (next === undefined) return;
    const epoch = this.#epoch;
    this.#wiring.scheduler.after(0, () => { if (epoch === this.#epoch && !this.#busy) this.#execute(next); });
  }

  #urcNow(line: string): void {
    if (this.#power !== "on" || this.#silent) return;
    if (this.#busy) {
      this.#deferred.push(() => this.#urcNow(line));
      return;
    }
    if (this.faults.takeLostUrc(line)) {
      this.stats.lostUrcs++;
      return;
    }
    this.#sendText(`\r\n${line}\r\n`);
  }

  #sendText(text: string): void {
    this.#send(this.#encoder.encode(text));
  }

  #send(bytes: Uint8Array): void {
    this.#wiring.tap.send(bytes);
  }

  #noise(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.#random.below(10) === 0 ? (i % 2 ? LF : CR) : 0x80 + this.#random.below(128);
    return out;
  }
}
