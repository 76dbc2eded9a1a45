/**
 * Behaving fakes of the subsystems behind the console: a modem driver with its own polling
 * session, a configuration kept in the board's key-value storage (so it survives reboots), an
 * SDI-12 bus scan that takes time. `FakeWorld` holds what outlives a boot and what tests watch.
 * No Node dependency: used by the XS cases too.
 */
import { HealthCounters } from "../../../modules/health/counters.js";
import type { Platform } from "../../../modules/platform/platform.js";
import type {
  Answer, ConsoleModem, ConsoleServices, ModemIdentity, Result, Sdi12Sensor, SensorPort, SensorPortChange,
  SensorPortSettings, StatusReport,
} from "../../../modules/console/services.js";

export const CONFIG_KEY = "config";
export const MODEM_POLL_MS = 5000;

export interface FakeConfig {
  apn: string;
  ports: Record<SensorPort, SensorPortSettings>;
}

export function defaultConfig(): FakeConfig {
  return {
    apn: "internet.example",
    ports: {
      rs485: { baud: 9600, framing: { dataBits: 8, parity: "none", stopBits: 1 }, address: 1, timeoutMs: 1000 },
      rs232: { baud: 9600, framing: { dataBits: 8, parity: "none", stopBits: 1 }, timeoutMs: 1000 },
    },
  };
}

export interface AtReply {
  lines: string[];
  final: string;
}

export class FakeWorld {
  modemAvailable = true;
  /** How long the firmware's session takes to park (an upload finishing). */
  pauseDelayMs = 300;
  atDelayMs = 40;
  /** The modem never answers AT commands (a hung modem). */
  modemMute = false;
  readonly atReplies = new Map<string, AtReply>([
    ["ATI", { lines: ["Quectel", "BG95-M3", "Revision: BG95M3LAR02A03"], final: "OK" }],
    ["AT+CSQ", { lines: ["+CSQ: 18,99"], final: "OK" }],
    ["AT+CEREG?", { lines: ["+CEREG: 0,1"], final: "OK" }],
    ["AT+COPS?", { lines: ['+COPS: 0,0,"Example Net",8'], final: "OK" }],
  ]);
  /** Modem traffic in order: "boot", "firmware AT...", "console AT...", "pause", "resume". */
  readonly modemLog: string[] = [];
  sdi12Sensors: Sdi12Sensor[] = [
    { address: "0", identification: "13METER   ATM41 100 SN12345" },
    { address: "3", identification: "14CAMPBELLCS655  01 SN778" },
  ];
  sdi12DelayMs = 1500;
  /** An APN the network side refuses (the service's own check). */
  refusedApn: string | undefined;
  reboots = 0;
  /** Sampling ticks over all boots: the "logger keeps running" witness. */
  ticks = 0;
  readonly counters = new HealthCounters();
}

class FakeModemDriver implements ConsoleModem {
  paused = false;

  constructor(readonly platform: Platform, readonly world: FakeWorld) {
    world.modemLog.push("boot");
    platform.timers.repeat(() => {
      if (!this.paused) world.modemLog.push("firmware AT+CSQ");
    }, MODEM_POLL_MS);
  }

  pause(done: (result: Result) => void): void {
    const world = this.world;
    if (!world.modemAvailable) {
      this.platform.timers.set(() => done({ ok: false, error: "modem is powered off" }), 10);
      return;
    }
    this.platform.timers.set(() => {
      this.paused = true;
      world.modemLog.push("pause");
      done({ ok: true });
    }, world.pauseDelayMs);
  }

  resume(): void {
    this.paused = false;
    this.world.modemLog.push("resume");
  }

  sendAt(line: string, done: (lines: string[], final: string) => void): void {
    const world = this.world;
    world.modemLog.push(`console ${line}`);
    if (world.modemMute) return;
    const reply = world.atReplies.get(line) ?? { lines: [], final: "OK" };
    this.platform.timers.set(() => done(reply.lines.slice(), reply.final), world.atDelayMs);
  }
}

export class FakeServices implements ConsoleServices {
  readonly modem: FakeModemDriver;

  constructor(readonly platform: Platform, readonly world: FakeWorld) {
    this.modem = new FakeModemDriver(platform, world);
  }

  config(): FakeConfig {
    return readConfig(this.platform.storage.read(CONFIG_KEY));
  }

  status(): StatusReport {
    const config = this.config();
    return {
      modem: { state: this.modem.paused ? "paused" : "connected", registration: "home", rssiDbm: -77, operator: "Example Net", accessTechnology: "LTE-M" },
      apn: config.apn,
      sampling: { ticks: this.world.ticks, intervalS: 1, channels: 4 },
      uplink: { lastResult: "ok", unsentRecords: 3 },
      counters: this.world.counters.snapshot(),
    };
  }

  diag(): ReadonlyArray<readonly [string, string | number]> {
    return [["modem recoveries", 0], ["log used", "12%"]];
  }

  modemInfo(done: (answer: Answer<ModemIdentity>) => void): void {
    this.platform.timers.set(() => done(this.world.modemAvailable
      ? { ok: true, value: { manufacturer: "Quectel", model: "BG95-M3", firmware: "BG95M3LAR02A03", imei: "861234567890123", iccid: "8949000000000000001" } }
      : { ok: false, error: "modem is powered off" }), 200);
  }

  apn(): string {
    return this.config().apn;
  }

  setApn(apn: string): Result {
    if (apn === this.world.refusedApn) return { ok: false, error: "rejected by the network profile" };
    const config = this.config();
    config.apn = apn;
    this.#save(config);
    return { ok: true };
  }

  sensorPort(port: SensorPort): SensorPortSettings {
    return this.config().ports[port];
  }

  setSensorPort(port: SensorPort, change: SensorPortChange): Result {
    const config = this.config();
    const settings = config.ports[port];
    switch (change.param) {
      case "baud": settings.baud = change.baud; break;
      case "framing": settings.framing = change.framing; break;
      case "address": settings.address = change.address; break;
      case "timeout": settings.timeoutMs = change.timeoutMs; break;
    }
    this.#save(config);
    return { ok: true };
  }

  sdi12Scan(done: (answer: Answer<Sdi12Sensor[]>) => void): void {
    this.platform.timers.set(() => done({ ok: true, value: this.world.sdi12Sensors.slice() }), this.world.sdi12DelayMs);
  }

  reboot(): void {
    this.world.reboots++;
    this.platform.restart("console reboot");
  }

  #save(config: FakeConfig): void {
    this.platform.storage.write(CONFIG_KEY, new TextEncoder().encode(JSON.stringify(config)));
  }
}

export function readConfig(stored: Uint8Array | undefined): FakeConfig {
  return stored ? (JSON.parse(new TextDecoder().decode(stored)) as FakeConfig) : defaultConfig();
}
