/**
 * The updater's costs: authenticating a manifest (ECDSA P-256 verify) and hashing a slot, in XS
 * (metered) next to Node; and, in virtual time over the simulated Cat-M1 link, how many 2-minute
 * sessions and how long an update of a given size takes from notice to confirmation.
 */
import { measureInXs } from "../hosts/xs/measure.js";
import { hashSlices, verifyManifestRepeatedly } from "../test/ota/support/ota-workload.js";
import { OtaWorld } from "../test/ota/support/ota-world.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const WORKLOAD = "test/ota/support/ota-workload.ts";
const VERIFIES = 5;
const HASH_KIB = 256;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

function nodeMs(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

function simulatedUpdate(payloadBytes: number): Record<string, unknown> {
  const world = new OtaWorld({ seed: `bench-${payloadBytes}`, slotBlocks: Math.ceil((payloadBytes + 4096) / 4096) });
  world.runFor(1000);
  const update = world.publish({ version: "1.0.0", payloadBytes });
  world.notify(update.notice);
  let sessions = 0;
  let onlineMs = 0;
  for (let outcome = "paused"; outcome === "paused"; sessions++) {
    const started = world.scheduler.now;
    outcome = world.session().outcome;
    onlineMs += world.scheduler.now - started;
    world.runFor(60 * 60_000);
  }
  if (world.running() !== "1.0.0") throw new Error("the simulated update did not complete");
  return {
    imageBytes: update.image.length,
    sessions,
    downloadSeconds: round(onlineMs / 1000, 1),
    servedBytes: world.server.servedBytes(),
    flashOperations: world.board.bootloader.flash.stats.operations,
  };
}

export default async function otaBench(): Promise<Record<string, unknown>> {
  const world = new OtaWorld({ seed: "bench-manifest" });
  const manifestHex = bytesToHex(world.publish({ version: "1.0.0" }).manifest);

  const xsVerify = await measureInXs(WORKLOAD, "verifyManifestRepeatedly", { manifestHex, times: VERIFIES });
  const xsHash = await measureInXs(WORKLOAD, "hashSlices", { kib: HASH_KIB });
  verifyManifestRepeatedly({ manifestHex, times: 1 });
  const nodeVerifyMs = nodeMs(() => verifyManifestRepeatedly({ manifestHex, times: VERIFIES })) / VERIFIES;
  let nodeDigest = "";
  const nodeHashMs = nodeMs(() => { nodeDigest = hashSlices({ kib: HASH_KIB }); });
  if (xsHash.result !== nodeDigest || xsVerify.result !== "1.0.0") throw new Error("XS and Node disagree");

  return {
    manifestVerify: {
      xsEachCompute: Math.round(xsVerify.compute / VERIFIES),
      xsEachMs: round(xsVerify.wallMs / VERIFIES),
      nodeEachMs: round(nodeVerifyMs, 3),
    },
    slotHash: {
      kib: HASH_KIB,
      xsCompute: xsHash.compute,
      xsMs: round(xsHash.wallMs),
      xsKibPerS: Math.round(HASH_KIB / (xsHash.wallMs / 1000)),
      nodeMs: round(nodeHashMs, 3),
    },
    simulatedCatM1: [simulatedUpdate(60_000), simulatedUpdate(400_000), simulatedUpdate(1_000_000)],
  };
}
