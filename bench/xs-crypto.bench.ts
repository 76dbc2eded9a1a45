/**
 * P-256 ECDH + HKDF-SHA256 (hosts/xs/workloads/ecdh-hkdf.ts, noble) inside XS (xsnap-worker,
 * metered) and on Node in the same run, and how much slower XS is. "First" is one agreement in a
 * fresh engine (Node's includes compiling noble); "each" is the mean over a run of agreements.
 */
import { createECDH } from "node:crypto";
import { measureInXs } from "../hosts/xs/measure.js";
import { deriveSessionKey, type KeyAgreementInput } from "../hosts/xs/workloads/ecdh-hkdf.js";

const WORKLOAD = "hosts/xs/workloads/ecdh-hkdf.ts";
const RUNS = 20;

function timeMs(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

export default async function xsCrypto(): Promise<Record<string, unknown>> {
  const device = createECDH("prime256v1");
  device.generateKeys();
  const server = createECDH("prime256v1");
  server.generateKeys();
  const input: KeyAgreementInput = {
    privateKeyHex: device.getPrivateKey("hex").padStart(64, "0"),
    peerPublicKeyHex: server.getPublicKey("hex"),
    saltHex: "00".repeat(32),
    infoHex: "0102",
  };

  const xsFirst = await measureInXs(WORKLOAD, "deriveSessionKey", input);
  const xsRepeated = await measureInXs(WORKLOAD, "deriveSessionKeyRepeatedly", { ...input, times: RUNS });
  // deriveSessionKeyRepeatedly agrees once more than `times`.
  const xsEachCompute = xsRepeated.compute / (RUNS + 1);
  const xsEachMs = xsRepeated.wallMs / (RUNS + 1);

  let nodeKey = "";
  const nodeFirstMs = timeMs(() => { nodeKey = deriveSessionKey(input); });
  const nodeEachMs = timeMs(() => { for (let i = 0; i < RUNS; i++) deriveSessionKey(input); }) / RUNS;
  if (xsFirst.result !== nodeKey || xsRepeated.result !== nodeKey) throw new Error("XS and Node derived different keys");

  return {
    operation: "P-256 ECDH + HKDF-SHA256 (32-byte key), @noble/curves",
    runs: RUNS,
    xs: {
      firstCompute: xsFirst.compute,
      firstWallMs: round(xsFirst.wallMs),
      eachCompute: Math.round(xsEachCompute),
      eachWallMs: round(xsEachMs),
      heapCountAfterFirst: xsFirst.heapCount,
    },
    node: {
      firstWallMs: round(nodeFirstMs),
      eachWallMs: round(nodeEachMs),
    },
    xsOverNodeWallRatio: {
      first: round(xsFirst.wallMs / nodeFirstMs, 1),
      each: round(xsEachMs / nodeEachMs, 1),
    },
  };
}
