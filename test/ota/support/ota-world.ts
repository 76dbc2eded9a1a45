/**
 * A simulated logger with an update server, a cellular link to it and a DFOTA-capable modem, for
 * the updater's tests (Node-free: the same world runs in mocha and in XS). The firmware is the
 * updater alone, started at every boot of whatever image the bootloader chose; the self-check is
 * a timer that passes unless the image was built to fail it.
 */
import { AtEngine } from "../../../drivers/modem/at/at-engine.js";
import { AtTranscript } from "../../../drivers/modem/at/at-transcript.js";
import { SerialLink } from "../../../drivers/modem/at/serial-link.js";
import { HealthCounters } from "../../../modules/health/counters.js";
import { ModemFirmwareUpdater, type DfotaTimings, DFOTA_TIMINGS } from "../../../modules/ota/modem-dfota.js";
import { decodeNotice, encodeNotice, type UpdateNotice } from "../../../modules/ota/notice.js";
import { OtaAgent, type LinkQuality, type NoticeResult, type OtaLimits, type SessionReport } from "../../../modules/ota/ota-agent.js";
import type { Platform } from "../../../modules/platform/platform.js";
import type { TrustedKey } from "../../../modules/ota/trust.js";
import { trustedKeysFor } from "../../../modules/ota/vendor-keys.js";
import { HARDWARE_MODEL } from "../../../modules/version.js";
import { SimBoard } from "../../../hosts/sim/board.js";
import { DEV_SIGNING_KEY } from "../../../hosts/sim/ota/dev-key.js";
import { SimDfotaModem } from "../../../hosts/sim/ota/dfota-modem.js";
import { imageFirmware } from "../../../hosts/sim/ota/image-firmware.js";
import { ServerImageSource } from "../../../hosts/sim/ota/server-image-source.js";
import { encodeSimImage } from "../../../hosts/sim/ota/sim-image.js";
import { signManifest, type ManifestFields, type SigningKey } from "../../../hosts/sim/ota/signing.js";
import { SimUpdateServer } from "../../../hosts/sim/ota/update-server.js";

export const MODEM_BASE_REVISION = "BG95M3LAR02A03_01.200.01.200";
export const SESSION_BUDGET_MS = 120_000;

export interface OtaWorldOptions {
  seed?: string;
  trust?: readonly TrustedKey[];
  slotBlocks?: number;
  limits?: Partial<OtaLimits>;
  dfotaTimings?: DfotaTimings;
  batteryVolts?: number;
  /** Builds the updater without a modem updater (modem packages refused). */
  withoutModemUpdater?: boolean;
}

export interface PublishedImage {
  image: Uint8Array;
  manifest: Uint8Array;
  url: string;
  notice: UpdateNotice;
}

export interface ImageSpec extends Partial<ManifestFields> {
  version: string;
  securityCounter?: number;
  behaviour?: number;
  payloadBytes?: number;
  key?: SigningKey;
}

export class OtaWorld {
  readonly board: SimBoard;
  readonly server = new SimUpdateServer();
  readonly modem: SimDfotaModem;
  readonly counters = new HealthCounters();
  signal: LinkQuality = { rsrpDbm: -95 };
  batteryVolts: number;
  selfCheckMs = 5_000;
  /** Version of the image each boot ran, in order. */
  readonly boots: string[] = [];
  wakeLocks = 0;
  agent: OtaAgent | undefined;
  source: ServerImageSource | undefined;
  #platform: Platform | undefined;
  linkUp = true;

  constructor(options: OtaWorldOptions = {}) {
    const seed = options.seed ?? "ota";
    this.batteryVolts = options.batteryVolts ?? 3.9;
    this.board = new SimBoard({
      seed, bootloader: { slotBlocks: options.slotBlocks ?? 16 }, health: { batteryVolts: () => this.batteryVolts },
    });
    this.modem = new SimDfotaModem(this.board.scheduler, this.board.attach("modem", "bg95"), this.server, MODEM_BASE_REVISION);
    const trust = options.trust ?? trustedKeysFor("development");
    const timings = options.dfotaTimings ?? DFOTA_TIMINGS;
    this.board.start(imageFirmware(this.board.bootloader, (platform, run) => {
      this.boots.push(run.version);
      this.#platform = platform;
      let engine: AtEngine | undefined;
      const link = new SerialLink(platform.io.Serial, (bytes) => engine?.receive(bytes));
      engine = new AtEngine(link, platform.timers, new AtTranscript(() => platform.clock.monotonic()));
      const source = new ServerImageSource(this.server, platform.timers);
      source.up = this.linkUp;
      this.source = source;
      this.agent = new OtaAgent({
        platform, trust, source,
        selfCheck: { run: (done) => { platform.timers.set(() => done(run.selfCheckFails ? "sensor 1 did not answer" : undefined), this.selfCheckMs); } },
        signal: () => this.signal,
        modem: options.withoutModemUpdater ? undefined : new ModemFirmwareUpdater(engine, platform.timers, timings),
        wakeLock: { acquire: () => { this.wakeLocks++; return () => { this.wakeLocks--; }; } },
        counters: this.counters,
        limits: options.limits,
      });
      this.agent.start();
    }));
  }

  get scheduler() {
    return this.board.scheduler;
  }

  /** The updater of the boot that runs now. */
  get ota(): OtaAgent {
    if (!this.agent || !this.board.running) throw new Error("no firmware is running");
    return this.agent;
  }

  running(): string {
    const booted = this.board.bootloader.booted;
    if (!booted) throw new Error("nothing booted");
    return booted.image.version;
  }

  setLink(up: boolean): void {
    this.linkUp = up;
    if (this.source) this.source.up = up;
  }

  /** Builds, signs and publishes a logger image (dev key unless told otherwise). */
  publish(spec: ImageSpec): PublishedImage {
    const model = spec.model ?? HARDWARE_MODEL;
    const payload = new Uint8Array(spec.payloadBytes ?? 20_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + spec.version.length) & 0xff;
    const securityCounter = spec.securityCounter ?? 1;
    const image = encodeSimImage({ version: spec.version, securityCounter, model, behaviour: spec.behaviour ?? 0, payload });
    const manifest = signManifest(image, { version: spec.version, securityCounter, model }, spec.key ?? DEV_SIGNING_KEY);
    const url = this.server.publish(`/images/${spec.version}.bin`, image);
    return { image, manifest, url, notice: { manifest, url } };
  }

  /**
   * Runs `work` as firmware code (from a timer of the running boot), so that a power cut or a crash
   * inside it stops the board as it would on hardware instead of escaping into the test.
   */
  inFirmware(work: (agent: OtaAgent) => void): void {
    const agent = this.ota;
    const platform = this.#platform;
    if (!platform) throw new Error("no firmware is running");
    platform.timers.set(() => work(agent), 0);
    this.scheduler.runFor(0);
  }

  /** Delivers a notice as the downlink would, through its wire encoding; undefined when power failed meanwhile. */
  notify(notice: UpdateNotice): NoticeResult {
    let result: NoticeResult | undefined;
    this.inFirmware((agent) => { result = agent.onNotice(decodeNotice(encodeNotice(notice))); });
    if (!result) throw new Error("the board stopped while taking the notice");
    return result;
  }

  /** One cellular session: the updater gets `budgetMs`; returns its report. */
  session(budgetMs: number = SESSION_BUDGET_MS): SessionReport {
    const report = this.sessionUnlessCut(budgetMs);
    if (!report) throw new Error("the board stopped during the session");
    return report;
  }

  /** A session that may end with the board losing power: then undefined. */
  sessionUnlessCut(budgetMs: number = SESSION_BUDGET_MS): SessionReport | undefined {
    let report: SessionReport | undefined;
    this.inFirmware((agent) => agent.runSession(budgetMs, (result) => { report = result; }));
    const limit = this.scheduler.now + 2 * 60 * 60_000;
    while (!report && this.scheduler.now < limit && this.board.running) this.scheduler.runFor(500);
    if (!report && this.board.running) throw new Error("the session did not end");
    return report;
  }

  /** Sessions an hour apart until one does not end "paused" or "fetch-failed", at most `max`. */
  sessionsUntilDone(max: number, budgetMs: number = SESSION_BUDGET_MS): SessionReport[] {
    const reports: SessionReport[] = [];
    for (let i = 0; i < max; i++) {
      const report = this.session(budgetMs);
      reports.push(report);
      if (report.outcome !== "paused" && report.outcome !== "fetch-failed") break;
      this.scheduler.runFor(60 * 60_000);
    }
    return reports;
  }

  runFor(ms: number): void {
    this.scheduler.runFor(ms);
  }
}
