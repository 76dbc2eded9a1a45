/**
 * The updater (modules/ota) unchanged, over the ESP32 firmware slots and the model of ESP-IDF's
 * app rollback: a signed ESP-IDF image is downloaded in chunks, verified, marked, test-booted
 * and confirmed; one that crashes during its test boot, and one that fails its self-check, go
 * back to the previous image with the cause recorded. The simulated board provides time and
 * resets; the firmware at each boot opens the ESP32 slots and starts the updater.
 */
import { OtaAgent } from "../../modules/ota/ota-agent.js";
import { trustedKeysFor } from "../../modules/ota/vendor-keys.js";
import type { HistoryEntry } from "../../modules/ota/history.js";
import { formatVersion } from "../../modules/ota/version.js";
import { HARDWARE_MODEL } from "../../modules/version.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { DEV_SIGNING_KEY } from "../../hosts/sim/ota/dev-key.js";
import { ServerImageSource } from "../../hosts/sim/ota/server-image-source.js";
import { signManifest } from "../../hosts/sim/ota/signing.js";
import { SimUpdateServer } from "../../hosts/sim/ota/update-server.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import { EspBoard, release } from "./fakes/esp-board.js";

interface Behaviour {
  /** Versions that crash as soon as they start. */
  crashes?: string;
  /** Versions whose self-check fails. */
  failsSelfCheck?: string;
}

class EspUpdateWorld {
  readonly esp = new EspBoard();
  readonly board = new SimBoard({ seed: "esp32-ota" });
  readonly server = new SimUpdateServer();
  agent!: OtaAgent;

  constructor(behaviour: Behaviour) {
    this.board.start((platform) => {
      const slots = this.esp.boot(platform.resetReason);
      const version = slots.running().version;
      if (version === behaviour.crashes && slots.running().testBoot) throw new Error(`${version} crashes at boot`);
      this.agent = new OtaAgent({
        platform: { ...platform, update: slots },
        trust: trustedKeysFor("development"),
        source: new ServerImageSource(this.server, platform.timers),
        selfCheck: { run: (done) => platform.timers.set(() => done(version === behaviour.failsSelfCheck ? "sensor 1 did not answer" : undefined), 2000) },
        signal: () => ({ rsrpDbm: -90 }),
        wakeLock: { acquire: () => () => undefined },
      });
      this.agent.start();
    });
  }

  /** Publishes a signed release and hands its notice to the updater, then runs one session. */
  offer(version: string, securityCounter: number): void {
    const { image } = release(version, securityCounter, { payloadBytes: 20_000 });
    const manifest = signManifest(image, { version, securityCounter, model: HARDWARE_MODEL }, DEV_SIGNING_KEY);
    const url = this.server.publish(`/images/${version}.bin`, image);
    const accepted = this.agent.onNotice({ manifest, url });
    ok(accepted.accepted, JSON.stringify(accepted));
    let outcome = "";
    this.agent.runSession(120_000, (report) => { outcome = report.outcome; });
    this.board.scheduler.runFor(120_000);
    equal(outcome, "downloaded");
  }

  history(): string[] {
    return this.agent.history().map((e: HistoryEntry) => `${e.outcome} ${formatVersion(e.version)}${e.outcome === "rolled-back" ? ` ${e.cause}` : ""}`);
  }
}

export const cases: TestCase[] = [
  {
    name: "an ESP-IDF image is downloaded, verified, marked, test-booted, confirmed, and raises the floor",
    run() {
      const world = new EspUpdateWorld({});
      world.offer("1.1.0", 2);
      world.board.scheduler.runFor(60_000);
      equal(world.esp.idf.running, 1);
      const status = world.agent.status();
      deepEqual(status.running, { version: "1.1.0", securityCounter: 2, testBoot: false });
      equal(status.securityFloor, 2);
      deepEqual(status.lastTrial, { mark: 1, outcome: { kind: "confirmed" } });
      deepEqual(world.history(), ["installed 1.1.0"]);
      deepEqual(world.esp.idf.calls, ["set_boot_partition", "mark_valid"]);
    },
  },
  {
    name: "an image that crashes in its test boot, and one whose self-check fails, go back to the previous image",
    run() {
      const crash = new EspUpdateWorld({ crashes: "1.1.0" });
      crash.offer("1.1.0", 2);
      crash.board.scheduler.runFor(60_000);
      equal(crash.esp.idf.running, 0);
      equal(crash.board.crashes.length, 1);
      deepEqual(crash.history(), ["rolled-back 1.1.0 crash"]);
      equal(crash.agent.status().securityFloor, 1);

      const selfCheck = new EspUpdateWorld({ failsSelfCheck: "1.1.0" });
      selfCheck.offer("1.1.0", 2);
      selfCheck.board.scheduler.runFor(60_000);
      equal(selfCheck.esp.idf.running, 0);
      deepEqual(selfCheck.history(), ["rolled-back 1.1.0 rejected"]);
      deepEqual(selfCheck.agent.status().lastTrial, { mark: 1, outcome: { kind: "rolled-back", cause: "rejected" } });
    },
  },
];
