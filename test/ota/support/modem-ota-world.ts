/**
 * The updater end to end over the simulated modem (Node-free, so it also runs inside XS): the
 * simulated world's logger and server (hosts/sim/world: board, simulated BG95, broker and receiver
 * on the in-memory network, composed as SimWorld composes them) and an update server on that
 * network, running the updater on the firmware's own ModemSession. Notices travel as the server's downlink over MQTT; images come by Range GETs
 * through the BG95's HTTP stack; a modem package runs DFOTA with the session's AT channel handed
 * over. What the uplink will do in each session (connect, hear downlinks, give the updater its
 * turn, close) is played here by `session()`, with the same session settings the uplink uses.
 */
import { ModemSession } from "../../../drivers/modem/session/modem-session.js";
import type { ModemSessionConfig } from "../../../drivers/modem/session/session-config.js";
import { ConfigStore } from "../../../modules/config/config-store.js";
import { readProvisioning } from "../../../modules/config/provisioning.js";
import { HealthCounters } from "../../../modules/health/counters.js";
import { ModemFirmwareUpdater } from "../../../modules/ota/modem-dfota.js";
import { ModemImageSource } from "../../../modules/ota/modem-image-source.js";
import { runUpdaterSession } from "../../../modules/ota/modem-update-guest.js";
import { decodeNotice, encodeNotice } from "../../../modules/ota/notice.js";
import { OtaAgent, type NoticeResult, type OtaLimits, type SessionReport } from "../../../modules/ota/ota-agent.js";
import { trustedKeysFor } from "../../../modules/ota/vendor-keys.js";
import type { Platform } from "../../../modules/platform/platform.js";
import { decodeDownlink } from "../../../modules/uplink/downlink.js";
import { modemSessionConfig, uplinkSettings } from "../../../modules/uplink/settings.js";
import { HARDWARE_MODEL } from "../../../modules/version.js";
import { MemoryNetwork, type MemoryHttpsServer } from "../../../hosts/sim/modem/memory-network.js";
import type { ServerTlsPolicy } from "../../../hosts/sim/modem/tls-policy.js";
import { DEV_SIGNING_KEY } from "../../../hosts/sim/ota/dev-key.js";
import { dfotaPackage } from "../../../hosts/sim/ota/dfota-modem.js";
import { imageFirmware } from "../../../hosts/sim/ota/image-firmware.js";
import { encodeSimImage } from "../../../hosts/sim/ota/sim-image.js";
import { signManifest } from "../../../hosts/sim/ota/signing.js";
import { UPDATE_HOST } from "../../../hosts/sim/ota/update-server.js";
import { Scheduler } from "../../../hosts/sim/scheduler.js";
import { MemoryServer } from "../../../hosts/sim/world/memory-server.js";
import {
  DEFAULT_EPOCH_MS, SIM_BROKER, SIM_CA_PEM, SIM_HTTPS, SimLogger, simAccount, simDeviceDocument,
} from "../../../hosts/sim/world/sim-world.js";
import { channelSet } from "../../uplink/support/uplink-world.js";

export const SESSION_LIMIT_MS = 120_000;
/** What the uplink leaves the updater of a session: its budget less the data exchange. */
export const UPDATER_BUDGET_MS = 40_000;
/** How long a session listens for downlinks before the updater's turn. */
const LINGER_MS = 3000;
/** The vendor's servers, all with certificates from the CA the logger was provisioned with. */
function serverTls(names: string[]): ServerTlsPolicy {
  return { issuerPem: SIM_CA_PEM, keyType: "ecdsa", suites: [0xc02b, 0xc023], versions: ["TLSv1.2"], names };
}

/** The parts of the boot that runs now. */
interface Boot {
  platform: Platform;
  session: ModemSession;
  agent: OtaAgent;
  config: ModemSessionConfig;
}

export class ModemOtaWorld {
  readonly world: SimLogger;
  readonly server: MemoryServer;
  readonly updates: MemoryHttpsServer;
  readonly counters = new HealthCounters();
  /** Version of the image each boot ran, in order. */
  readonly boots: string[] = [];
  /** What the updater answered each notice that came down. */
  readonly noticeResults: NoticeResult[] = [];
  wakeLocks = 0;
  #boot: Boot | undefined;

  constructor(seed: string, limits: Partial<OtaLimits> = {}) {
    const scheduler = new Scheduler();
    const network = new MemoryNetwork(scheduler);
    const account = simAccount(seed);
    this.world = new SimLogger({
      board: { name: "logger-sim", scheduler, seed, epochMs: DEFAULT_EPOCH_MS, flash: { blocks: 32 }, bootloader: { slotBlocks: 64 } },
      network, account, caPem: SIM_CA_PEM, document: simDeviceDocument(channelSet()), siteSeed: seed, days: 1,
      boot: (platform) => imageFirmware(this.world.board.bootloader, (p, run) => this.#start(p, run.version, run.selfCheckFails, limits))(platform),
    });
    this.server = new MemoryServer(network, scheduler, {
      broker: SIM_BROKER, https: SIM_HTTPS, tls: serverTls([SIM_BROKER.host, SIM_HTTPS.host]), devices: [account],
      now: () => DEFAULT_EPOCH_MS + scheduler.now,
    });
    this.updates = network.addHttpsServer({ host: UPDATE_HOST, port: 443 }, { tls: serverTls([UPDATE_HOST]) });
    this.world.start();
  }

  get scheduler() {
    return this.world.board.scheduler;
  }

  get boot(): Boot {
    if (!this.#boot || !this.world.board.running) throw new Error("no firmware is running");
    return this.#boot;
  }

  running(): string {
    const booted = this.world.board.bootloader.booted;
    if (!booted) throw new Error("nothing booted");
    return booted.image.version;
  }

  /** Builds, signs (development key) and publishes a logger image; the server sends its notice. */
  offerImage(version: string, payloadBytes: number): { image: Uint8Array; url: string } {
    const payload = new Uint8Array(payloadBytes);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 13 + (i >> 9)) & 0xff;
    const image = encodeSimImage({ version, securityCounter: 1, model: HARDWARE_MODEL, behaviour: 0, payload });
    const manifest = signManifest(image, { version, securityCounter: 1, model: HARDWARE_MODEL }, DEV_SIGNING_KEY);
    const url = this.updates.publish(`/images/${version}.bin`, image);
    this.server.receiver.pushUpdate(this.world.account.username, encodeNotice({ manifest, url }));
    return { image, url };
  }

  /** Publishes a DFOTA package and sends its signed modem manifest. */
  offerModemPackage(fromRevision: string, toRevision: string): string {
    const pkg = dfotaPackage(fromRevision, toRevision);
    const url = this.updates.publish("/modem/delta.zip", pkg);
    const manifest = signManifest(pkg, {
      version: "1.201.0", securityCounter: 1, model: HARDWARE_MODEL, modem: { fromRevision, toRevision, url },
    }, DEV_SIGNING_KEY);
    this.server.receiver.pushUpdate(this.world.account.username, encodeNotice({ manifest, url: "" }));
    return url;
  }

  /**
   * One cellular session as the uplink runs it: connect, hear the downlinks, the updater's turn
   * within its budget, close. The report, or the connect's error kind.
   */
  session(): SessionReport | string {
    const { platform, session, agent, config } = this.boot;
    let outcome: SessionReport | string | undefined;
    let closed = false;
    platform.timers.set(() => session.connect(config, (error) => {
      if (error) {
        outcome = `connect: ${error.kind}`;
        closed = true;
        return;
      }
      platform.timers.set(() => runUpdaterSession(agent, session, UPDATER_BUDGET_MS, (report) => {
        outcome = report;
        session.close(() => { closed = true; });
      }), LINGER_MS);
    }), 0);
    // A completed download restarts the logger into the new image, maybe before the close is done.
    const boots = this.world.board.bootCount;
    if (!this.runUntil(() => closed || this.world.board.bootCount !== boots, 60 * 60_000)) throw new Error("the session did not end");
    return outcome ?? "no outcome";
  }

  runUntil(done: () => boolean, limitMs: number): boolean {
    const end = this.scheduler.now + limitMs;
    while (!done()) {
      if (this.scheduler.now >= end) return false;
      const next = this.scheduler.nextTime();
      this.scheduler.runUntil(next === undefined ? end : Math.min(end, Math.max(next, this.scheduler.now)));
    }
    return true;
  }

  /** The firmware of one boot: the modem session and the updater on it. */
  #start(platform: Platform, version: string, selfCheckFails: boolean, limits: Partial<OtaLimits>): void {
    this.boots.push(version);
    const store = new ConfigStore(platform.storage, platform.pins);
    const { provisioning } = readProvisioning(platform.storage);
    if (!store.config || !provisioning) throw new Error("the simulated logger is not set up");
    const config = modemSessionConfig(uplinkSettings(store.config, provisioning), SESSION_LIMIT_MS);
    const session = new ModemSession(platform, { counters: this.counters });
    const agent = new OtaAgent({
      platform, trust: trustedKeysFor("development"), source: new ModemImageSource(session), counters: this.counters, limits,
      // The self-check the issue asks for, reduced to its cellular part: the modem attaches and the server answers.
      selfCheck: {
        run: (done) => session.connect(config, (error) => session.close(() => {
          done(error ? `modem: ${error.kind}` : selfCheckFails ? "sensor 1 did not answer" : undefined);
        })),
      },
      signal: () => session.health.signal,
      modem: new ModemFirmwareUpdater(session.modemUpdateAt, platform.timers),
      wakeLock: { acquire: () => { this.wakeLocks++; return () => { this.wakeLocks--; }; } },
    });
    session.onDownlink = (_topic, payload) => {
      for (const message of decodeDownlink(payload)) {
        if (message.kind === "update") this.noticeResults.push(agent.onNotice(decodeNotice(message.notice)));
      }
    };
    this.#boot = { platform, session, agent, config };
    agent.start();
  }
}
