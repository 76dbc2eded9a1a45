/**
 * The firmware updater (docs/firmware-update.md). Update notices reach it only from the uplink's
 * downlink handler; it checks them, downloads an accepted logger image into the inactive slot a
 * session at a time, verifies the slot's bytes, marks the slot bootable and restarts into it. In
 * the test boot that follows it runs the self-check and confirms or rejects the new image. A modem
 * package is handed to the modem's DFOTA. Everything it must remember across resets is in its
 * journal (its own flash area): the data log and the configuration are never touched.
 */
import { HealthCounters } from "../health/counters.js";
import type { TimerHandle } from "../platform/clock.js";
import type { Platform } from "../platform/platform.js";
import { FirmwareSlotError, type FirmwareSlots, type RollbackCause, type Trial } from "../platform/update.js";
import { constantTimeEqual } from "../crypto/bytes.js";
import { sha256 } from "../crypto/sha256.js";
import type { FotaEvent } from "./fota-urc.js";
import { appendHistory, type HistoryEntry } from "./history.js";
import type { ImageSource } from "./image-source.js";
import { JournalStore } from "./journal-store.js";
import { MANIFEST_DIGEST_BYTES, type JournalState, type UpdateInProgress, type UpdatePhase } from "./journal-state.js";
import { decodeManifest, type SignedManifest, type UpdateTarget } from "./manifest.js";
import type { ModemFirmwareUpdater, ModemUpdateResult } from "./modem-dfota.js";
import type { UpdateNotice } from "./notice.js";
import type { OtaReport } from "./ota-report.js";
import { checkApplicable } from "./policy.js";
import { UpdateRefused, type RefusalReason } from "./refusal.js";
import { checkChunkBytes, downloadChunks, type DownloadStop } from "./slot-download.js";
import { hashSlot } from "./slot-hash.js";
import { verifyManifest, type TrustedKey } from "./trust.js";
import { formatVersion, parseVersion, type FirmwareVersion } from "./version.js";

/** The checks a test-booted image must pass before it is confirmed: sensors read, modem attaches, server reached. */
export interface SelfCheck {
  /** `done()` when every check passed, `done(failure)` with what failed otherwise. */
  run(done: (failure?: string) => void): void;
}

/** Keeps the logger from sleeping while held (a modem update must not be cut short). */
export interface WakeLock {
  acquire(reason: string): () => void;
}

/** The modem's latest signal reading; ModemHealth.signal fits. */
export interface LinkQuality {
  rssiDbm?: number;
  rsrpDbm?: number;
}

export interface OtaLimits {
  /** No download below this battery voltage. */
  minBatteryVolts: number;
  /** No download below this RSRP (LTE), or this RSSI when RSRP is unknown. */
  minRsrpDbm: number;
  minRssiDbm: number;
  /** Bytes per range request; a whole number of slot blocks. */
  chunkBytes: number;
  firstChunkEstimateMs: number;
  /** Bytes of slot hashed per timer tick. */
  verifySliceBytes: number;
  selfCheckTimeoutMs: number;
}

export const OTA_LIMITS: OtaLimits = Object.freeze({
  minBatteryVolts: 3.45,
  minRsrpDbm: -120,
  minRssiDbm: -105,
  chunkBytes: 8192,
  firstChunkEstimateMs: 15_000,
  verifySliceBytes: 4096,
  selfCheckTimeoutMs: 10 * 60_000,
});

export interface OtaAgentOptions {
  platform: Platform;
  trust: readonly TrustedKey[];
  source: ImageSource;
  selfCheck: SelfCheck;
  signal: () => LinkQuality;
  /** Absent on a build that cannot update its modem: modem packages are then refused. */
  modem?: ModemFirmwareUpdater;
  wakeLock: WakeLock;
  counters?: HealthCounters;
  limits?: Partial<OtaLimits>;
  /** Restarts the logger into the new image or back from a rejected one; platform.restart by default. */
  reboot?: (reason: string) => void;
}

export type NoticeResult = { accepted: true } | { accepted: false; reason: RefusalReason; message: string };

/**
 * What a session did: skipped (busy, test-boot, nothing-to-do, battery-low, signal-weak), paused
 * (budget spent, more next time), fetch-failed (retried next session), downloaded (the image is
 * being verified), refused (the image failed a check), modem-updated or modem-failed.
 */
export type SessionOutcome =
  | "busy" | "test-boot" | "nothing-to-do" | "battery-low" | "signal-weak"
  | "paused" | "fetch-failed" | "downloaded" | "refused" | "modem-updated" | "modem-failed";

export interface SessionReport {
  outcome: SessionOutcome;
  fetchedBytes: number;
}

export type OtaActivity = "idle" | "self-check" | "downloading" | "verifying" | "modem-updating";

export interface OtaStatus {
  running: { version: string; securityCounter: number; testBoot: boolean };
  securityFloor: number;
  lastTrial: Trial;
  activity: OtaActivity;
  update?: {
    target: UpdateTarget;
    version: string;
    phase: UpdatePhase;
    written: number;
    size: number;
    sessions: number;
    failures: number;
    modemProgress?: FotaEvent;
  };
}

const NO_VERSION: FirmwareVersion = { major: 0, minor: 0, patch: 0 };

function manifestDigest(manifest: Uint8Array): Uint8Array {
  return sha256(manifest).slice(0, MANIFEST_DIGEST_BYTES);
}

export class OtaAgent {
  readonly #platform: Platform;
  readonly #slots: FirmwareSlots;
  readonly #store: JournalStore;
  readonly #options: OtaAgentOptions;
  readonly #limits: OtaLimits;
  readonly #counters: HealthCounters;
  readonly #reboot: (reason: string) => void;
  #journal: JournalState;
  #activity: OtaActivity = "idle";
  #modemProgress: FotaEvent | undefined;

  constructor(options: OtaAgentOptions) {
    this.#options = options;
    this.#platform = options.platform;
    this.#slots = options.platform.update;
    this.#store = new JournalStore(this.#slots.journal);
    this.#limits = { ...OTA_LIMITS, ...options.limits };
    this.#counters = options.counters ?? new HealthCounters();
    this.#reboot = options.reboot ?? ((reason) => options.platform.restart(reason));
    this.#journal = this.#store.load();
  }

  /** Finishes what the last reset interrupted; in a test boot, runs the self-check. Once per boot. */
  start(): void {
    if (this.#slots.running().testBoot) return this.#runSelfCheck();
    const update = this.#journal.update;
    if (!update) return;
    if (update.phase === "downloaded") return this.#verify(update);
    if (update.phase === "installing") this.#resolveInstall(update);
  }

  /** Takes an update notice from the server's downlink; the only way an update starts. */
  onNotice(notice: UpdateNotice): NoticeResult {
    let manifest: SignedManifest | undefined;
    try {
      if (this.#slots.running().testBoot) throw new UpdateRefused("busy", "the running image is still on trial");
      if (this.#activity !== "idle") throw new UpdateRefused("busy", `the updater is ${this.#activity}`);
      const current = this.#journal.update;
      if (current && constantTimeEqual(current.manifest, notice.manifest) && current.url === notice.url) return { accepted: true };
      if (current && (current.phase === "installing" || current.phase === "modem-updating")) {
        throw new UpdateRefused("busy", "an update is being installed");
      }
      manifest = verifyManifest(notice.manifest, this.#options.trust);
      if (manifest.target === "modem" && !this.#options.modem) throw new UpdateRefused("unsupported", "this logger cannot update its modem");
      const failed = this.#journal.failedDigest;
      if (failed && constantTimeEqual(failed, manifestDigest(notice.manifest))) {
        throw new UpdateRefused("failed-before", "this manifest's update already failed");
      }
      checkApplicable(manifest, notice.url, {
        running: this.#slots.running(), securityFloor: this.#slots.securityFloor(), slotBytes: this.#slots.slotBytes,
      });
    } catch (error) {
      if (!(error instanceof UpdateRefused)) throw error;
      if (error.reason !== "busy") this.#refused(manifest, error);
      return { accepted: false, reason: error.reason, message: error.message };
    }
    const current = this.#journal.update;
    if (current && current.phase === "downloading" && constantTimeEqual(current.manifest, notice.manifest)) {
      current.url = notice.url; // the same image somewhere else: what is in the slot still counts
    } else {
      this.#journal.update = {
        phase: manifest.target === "modem" ? "modem-pending" : "downloading",
        manifest: notice.manifest.slice(), url: notice.url, written: 0, sessions: 0, failures: 0, mark: 0,
      };
    }
    this.#save();
    this.#counters.increment("ota.accepted");
    this.#trace(`accepted ${manifest.target} update ${formatVersion(manifest.version)}`);
    return { accepted: true };
  }

  /**
   * Uses an open cellular session: downloads what fits in `budgetMs`, or runs a pending modem
   * update (which outlasts any session budget: the caller lifts the modem's session limit when
   * status().update.phase is "modem-pending" or "modem-updating").
   */
  runSession(budgetMs: number, done: (report: SessionReport) => void): void {
    const skip = (outcome: SessionOutcome) => done({ outcome, fetchedBytes: 0 });
    if (this.#slots.running().testBoot) return skip("test-boot");
    if (this.#activity !== "idle") return skip("busy");
    const update = this.#journal.update;
    if (!update || update.phase === "downloaded" || update.phase === "installing") return skip("nothing-to-do");
    if (this.#platform.health.batteryVolts() < this.#limits.minBatteryVolts) return skip("battery-low");
    if (!this.#signalGood()) return skip("signal-weak");
    if (update.phase === "downloading") return this.#download(update, budgetMs, done);
    this.#updateModem(update, done);
  }

  status(): OtaStatus {
    const running = this.#slots.running();
    const status: OtaStatus = {
      running: { version: running.version, securityCounter: running.securityCounter, testBoot: running.testBoot },
      securityFloor: this.#slots.securityFloor(),
      lastTrial: this.#slots.lastTrial(),
      activity: this.#activity,
    };
    const update = this.#journal.update;
    if (update) {
      const manifest = decodeManifest(update.manifest);
      status.update = {
        target: manifest.target, version: formatVersion(manifest.version), phase: update.phase, written: update.written,
        size: manifest.imageSize, sessions: update.sessions, failures: update.failures,
      };
      if (this.#modemProgress) status.update.modemProgress = this.#modemProgress;
    }
    return status;
  }

  history(): HistoryEntry[] {
    return this.#journal.history.slice();
  }

  /** Status and history together, for the uplink (encodeOtaReport) and health (formatOtaHealth). */
  report(): OtaReport {
    return { status: this.status(), history: this.history() };
  }

  // ---- trial boot ------------------------------------------------------------------------

  #runSelfCheck(): void {
    this.#activity = "self-check";
    const timers = this.#platform.timers;
    let settled = false;
    const settle = (failure: string | undefined) => {
      if (settled) return;
      settled = true;
      timers.clear(deadline);
      this.#activity = "idle";
      if (failure === undefined) this.#confirm();
      else this.#reject(failure);
    };
    const deadline: TimerHandle = timers.set(() => settle("self-check did not finish in time"), this.#limits.selfCheckTimeoutMs);
    this.#trace(`test boot of ${this.#slots.running().version}: self-check`);
    this.#options.selfCheck.run((failure) => settle(failure));
  }

  #confirm(): void {
    this.#slots.confirm();
    const version = this.#runningVersion();
    this.#counters.increment("ota.installed");
    this.#trace(`confirmed ${formatVersion(version)}`);
    this.#settleTrial({ outcome: "installed", target: "logger", version, atS: this.#nowS() }, false);
  }

  #reject(failure: string): void {
    this.#slots.reject();
    const version = this.#runningVersion();
    this.#counters.increment("ota.rolledBack");
    this.#trace(`self-check failed (${failure}): rejecting ${formatVersion(version)}`);
    this.#settleTrial({ outcome: "rolled-back", target: "logger", version, atS: this.#nowS(), cause: "rejected" }, true);
    this.#reboot(`self-check failed: ${failure}`);
  }

  /** After a reset in the installing phase: the trial the bootloader ran (or the mark still to make). */
  #resolveInstall(update: UpdateInProgress): void {
    const trial = this.#slots.lastTrial();
    if (trial.mark < update.mark) return this.#install(update);
    if (trial.mark !== update.mark) return;
    const version = decodeManifest(update.manifest).version;
    if (trial.outcome.kind === "confirmed") {
      this.#settleTrial({ outcome: "installed", target: "logger", version, atS: this.#nowS() }, false);
    } else if (trial.outcome.kind === "rolled-back") {
      this.#rolledBack(version, trial.outcome.cause);
    }
  }

  #rolledBack(version: FirmwareVersion, cause: RollbackCause): void {
    this.#counters.increment("ota.rolledBack");
    this.#trace(`${formatVersion(version)} was rolled back: ${cause}`);
    this.#settleTrial({ outcome: "rolled-back", target: "logger", version, atS: this.#nowS(), cause }, true);
  }

  /** Records a trial's end; the update in the journal ends with it when it is the one installed. */
  #settleTrial(entry: HistoryEntry, failed: boolean): void {
    const update = this.#journal.update;
    if (update && update.phase === "installing") {
      if (failed) this.#journal.failedDigest = manifestDigest(update.manifest);
      this.#journal.update = undefined;
    }
    this.#journal.history = appendHistory(this.#journal.history, entry);
    this.#save();
  }

  // ---- download, verification, install ---------------------------------------------------

  #signalGood(): boolean {
    const signal = this.#options.signal();
    if (signal.rsrpDbm !== undefined) return signal.rsrpDbm >= this.#limits.minRsrpDbm;
    return signal.rssiDbm !== undefined && signal.rssiDbm >= this.#limits.minRssiDbm;
  }

  #download(update: UpdateInProgress, budgetMs: number, done: (report: SessionReport) => void): void {
    const manifest = decodeManifest(update.manifest);
    const slot = this.#slots.inactiveSlot();
    checkChunkBytes(this.#limits.chunkBytes, slot);
    this.#activity = "downloading";
    const startedAt = update.written;
    let progressed = false;
    const plan = {
      slot, source: this.#options.source, url: update.url, size: manifest.imageSize, chunkBytes: this.#limits.chunkBytes,
      written: update.written, budgetMs, firstChunkEstimateMs: this.#limits.firstChunkEstimateMs,
    };
    downloadChunks(plan, this.#platform.clock, (written) => {
      update.written = written;
      update.failures = 0;
      if (!progressed) update.sessions++;
      progressed = true;
      this.#counters.increment("ota.chunks");
      this.#save();
    }, (stop: DownloadStop) => {
      this.#activity = "idle";
      const report = (outcome: SessionOutcome) => done({ outcome, fetchedBytes: update.written - startedAt });
      switch (stop.kind) {
        case "complete":
          update.phase = "downloaded";
          this.#save();
          this.#trace(`downloaded ${manifest.imageSize} bytes in ${update.sessions} session(s)`);
          report("downloaded");
          return this.#verify(update);
        case "budget":
          return report("paused");
        case "fetch-failed":
          update.failures++;
          this.#counters.increment("ota.fetchFailures");
          this.#save();
          this.#trace(`fetch failed at ${update.written}: ${stop.error}`);
          return report("fetch-failed");
        case "truncated":
          this.#abandon(update, new UpdateRefused("image-truncated", stop.message));
          return report("refused");
        case "oversized":
          this.#abandon(update, new UpdateRefused("image-oversized", stop.message));
          return report("refused");
      }
    });
  }

  #verify(update: UpdateInProgress): void {
    const manifest = decodeManifest(update.manifest);
    this.#activity = "verifying";
    const slot = this.#slots.inactiveSlot();
    hashSlot(slot, manifest.imageSize, this.#platform.timers, this.#limits.verifySliceBytes, (digest) => {
      this.#activity = "idle";
      if (!constantTimeEqual(digest, manifest.imageSha256)) {
        return this.#abandon(update, new UpdateRefused("image-corrupt", "the slot's SHA-256 differs from the manifest's"));
      }
      update.phase = "installing";
      update.mark = this.#slots.lastTrial().mark + 1;
      this.#save();
      this.#install(update);
    });
  }

  #install(update: UpdateInProgress): void {
    const manifest = decodeManifest(update.manifest);
    const version = formatVersion(manifest.version);
    try {
      this.#slots.markBootable({ byteLength: manifest.imageSize, version, securityCounter: manifest.securityCounter });
    } catch (error) {
      if (!(error instanceof FirmwareSlotError)) throw error;
      return this.#abandon(update, new UpdateRefused("image-rejected", error.message));
    }
    this.#counters.increment("ota.marked");
    this.#trace(`slot marked bootable: restarting into ${version}`);
    this.#reboot(`firmware update to ${version}`);
  }

  /** Ends an update whose image failed: recorded, and the same manifest is not taken again. */
  #abandon(update: UpdateInProgress, refusal: UpdateRefused): void {
    this.#journal.update = undefined;
    this.#journal.failedDigest = manifestDigest(update.manifest);
    this.#refused(decodeManifest(update.manifest), refusal);
  }

  #refused(manifest: SignedManifest | undefined, refusal: UpdateRefused): void {
    this.#counters.increment("ota.refused");
    this.#trace(`refused: ${refusal.message}`);
    this.#journal.history = appendHistory(this.#journal.history, {
      outcome: "refused", target: manifest?.target ?? "logger", version: manifest?.version ?? NO_VERSION, atS: this.#nowS(),
      reason: refusal.reason,
    });
    this.#save();
  }

  // ---- modem -----------------------------------------------------------------------------

  #updateModem(update: UpdateInProgress, done: (report: SessionReport) => void): void {
    const manifest = decodeManifest(update.manifest);
    const pkg = manifest.modem;
    const modem = this.#options.modem;
    if (!pkg || !modem) throw new Error("a modem phase without a modem package or updater");
    this.#activity = "modem-updating";
    const release = this.#options.wakeLock.acquire("modem firmware update");
    if (update.phase === "modem-pending") {
      update.phase = "modem-updating";
      this.#save();
    }
    this.#trace(`modem update ${pkg.fromRevision} -> ${pkg.toRevision}`);
    modem.update(pkg, (event) => { this.#modemProgress = event; }, (result: ModemUpdateResult) => {
      release();
      this.#activity = "idle";
      this.#modemProgress = undefined;
      const version = manifest.version;
      if (result.ok) {
        this.#journal.update = undefined;
        this.#journal.history = appendHistory(this.#journal.history, { outcome: "modem-updated", target: "modem", version, atS: this.#nowS() });
        this.#save();
        this.#counters.increment("ota.modemUpdated");
        this.#trace(`modem now runs ${result.revision}`);
        return done({ outcome: "modem-updated", fetchedBytes: 0 });
      }
      if (result.stage === "base") {
        this.#abandon(update, new UpdateRefused("wrong-base", result.message));
        return done({ outcome: "refused", fetchedBytes: 0 });
      }
      this.#journal.update = undefined;
      this.#journal.failedDigest = manifestDigest(update.manifest);
      this.#journal.history = appendHistory(this.#journal.history, {
        outcome: "modem-failed", target: "modem", version, atS: this.#nowS(), error: result.error,
      });
      this.#save();
      this.#counters.increment("ota.modemFailed");
      this.#trace(`modem update failed at ${result.stage}: ${result.message}`);
      done({ outcome: "modem-failed", fetchedBytes: 0 });
    });
  }

  // ---- helpers ---------------------------------------------------------------------------

  #runningVersion(): FirmwareVersion {
    return parseVersion(this.#slots.running().version) ?? NO_VERSION;
  }

  #nowS(): number {
    const clock = this.#platform.clock;
    return clock.quality === "unset" ? 0 : Math.floor(clock.now() / 1000);
  }

  #save(): void {
    this.#store.save(this.#journal);
  }

  #trace(line: string): void {
    this.#platform.trace(`ota: ${line}`);
  }
}
