/**
 * Everything the updater must refuse, through the whole path (notice, download, slot check): a
 * refused update is recorded with its reason, nothing is marked bootable, the logger keeps
 * running its image, and the same manifest is not fetched again.
 */
import { decodeManifest, joinManifest } from "../../modules/ota/manifest.js";
import type { RefusalReason } from "../../modules/ota/refusal.js";
import { trustedKeysFor } from "../../modules/ota/vendor-keys.js";
import { generateSigningKey } from "../../hosts/sim/ota/signing.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { deepEqual, equal } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { OtaWorld, type PublishedImage } from "./support/ota-world.js";

function freshWorld(seed: string, production = false): OtaWorld {
  const world = new OtaWorld({ seed, trust: trustedKeysFor(production ? "production" : "development") });
  world.runFor(1000);
  return world;
}

function pathOf(update: PublishedImage): string {
  return update.url.slice(update.url.indexOf("/images/"));
}

/** The refusal is recorded, counted, and left the logger as it was. */
function assertRefused(world: OtaWorld, reason: RefusalReason, label: string): void {
  const history = world.ota.history();
  const last = history[history.length - 1];
  deepEqual(last && last.outcome === "refused" ? last.reason : undefined, reason, label);
  const status = world.ota.status();
  equal(status.update, undefined, `${label}: nothing in progress`);
  deepEqual(status.lastTrial, { mark: 0, outcome: { kind: "none" } }, `${label}: nothing marked bootable`);
  equal(world.running(), "0.1.0", `${label}: still running the old image`);
}

/** Notices refused on sight: the answer names the reason. */
function refusedAtNotice(world: OtaWorld, notice: PublishedImage["notice"], reason: RefusalReason, label: string): void {
  const answer = world.notify(notice);
  deepEqual(answer.accepted ? undefined : answer.reason, reason, label);
  assertRefused(world, reason, label);
}

/** Notices accepted whose image fails during or after the download. */
function refusedAfterDownload(world: OtaWorld, update: PublishedImage, reason: RefusalReason, label: string): void {
  deepEqual(world.notify(update.notice), { accepted: true }, label);
  world.sessionsUntilDone(5);
  world.runFor(30_000);
  assertRefused(world, reason, label);
  deepEqual(world.boots, ["0.1.0"], `${label}: no reboot`);
  const again = world.notify(update.notice);
  deepEqual(again.accepted ? undefined : again.reason, "failed-before", `${label}: the same notice again`);
}

export const cases: TestCase[] = [
  {
    name: "refused on sight: unsigned, signed by an untrusted key, a dev key on production, a borrowed signature",
    run() {
      const world = freshWorld("signatures");
      const update = world.publish({ version: "1.0.0" });
      const body = decodeManifest(update.manifest).body;
      refusedAtNotice(world, { manifest: body, url: update.url }, "malformed", "unsigned");
      const stranger = world.publish({ version: "1.0.1", key: generateSigningKey(new SeededRandom("stranger")) });
      refusedAtNotice(world, stranger.notice, "unknown-key", "untrusted key");
      const other = world.publish({ version: "1.0.2" });
      refusedAtNotice(world, { manifest: joinManifest(body, decodeManifest(other.manifest).signature), url: update.url },
        "bad-signature", "the signature of another manifest");
      equal(world.counters.get("ota.refused"), 3);
      const production = freshWorld("production", true);
      refusedAtNotice(production, production.publish({ version: "1.0.0" }).notice, "unknown-key", "dev key on production");
    },
  },
  {
    name: "refused on sight: a lower security counter, an old or equal version, another model, too large, a bad URL",
    run() {
      const world = freshWorld("policy");
      refusedAtNotice(world, world.publish({ version: "2.0.0", securityCounter: 0 }).notice, "downgrade", "counter below the floor");
      refusedAtNotice(world, world.publish({ version: "0.1.0" }).notice, "not-newer", "same version");
      refusedAtNotice(world, world.publish({ version: "0.0.9" }).notice, "not-newer", "older version");
      refusedAtNotice(world, world.publish({ version: "2.0.0", model: "DL-2" }).notice, "wrong-model", "another model");
      refusedAtNotice(world, world.publish({ version: "2.0.0", payloadBytes: 70_000 }).notice, "too-large", "larger than a slot");
      const plain = world.publish({ version: "2.0.0" });
      refusedAtNotice(world, { manifest: plain.manifest, url: plain.url.replace("https:", "http:") }, "bad-url", "plain http");
    },
  },
  {
    name: "refused after the download: a corrupt image, another image than the manifest's, a truncated or oversized file",
    run() {
      const corrupt = freshWorld("corrupt");
      const update = corrupt.publish({ version: "1.0.0" });
      const flipped = update.image.slice();
      flipped[12_345] ^= 0x10;
      corrupt.server.publish(pathOf(update), flipped);
      refusedAfterDownload(corrupt, update, "image-corrupt", "one flipped bit");

      const swapped = freshWorld("swapped");
      const wanted = swapped.publish({ version: "1.0.0" });
      const served = swapped.publish({ version: "1.0.1" });
      swapped.server.publish(pathOf(wanted), served.image.subarray(0, wanted.image.length));
      refusedAfterDownload(swapped, wanted, "image-corrupt", "the bytes of another image");

      const short = freshWorld("short");
      const cut = short.publish({ version: "1.0.0" });
      short.server.publish(pathOf(cut), cut.image.subarray(0, cut.image.length - 100));
      refusedAfterDownload(short, cut, "image-truncated", "100 bytes missing");

      const gone = freshWorld("gone");
      const half = gone.publish({ version: "1.0.0" });
      gone.server.publish(pathOf(half), half.image.subarray(0, 8192));
      refusedAfterDownload(gone, half, "image-truncated", "the file ends at a chunk boundary");

      const long = freshWorld("long");
      const grown = long.publish({ version: "1.0.0" });
      const bigger = new Uint8Array(grown.image.length + 5000);
      bigger.set(grown.image);
      long.server.publish(pathOf(grown), bigger);
      refusedAfterDownload(long, grown, "image-oversized", "5000 bytes more than the manifest says");
    },
  },
];
