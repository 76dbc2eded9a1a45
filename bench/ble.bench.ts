/**
 * The logger's side of the BLE installer handshake (docs/ble-session.md): ClientHello → key
 * generation, ECDH, key schedule, ServerHello, then the ClientFinished check. Metered inside XS
 * and timed on Node, next to one bare noble key generation + ECDH in the same run; the issue's
 * goal is a handshake costing at most 1.1 times that. "first" is one call in a fresh engine
 * (noble builds its base-point tables then); "each" is the marginal cost of one more, from runs
 * of 1 and 3 in XS and from alternating timed rounds on Node.
 */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { measureInXs, type XsMeasurement } from "../hosts/xs/measure.js";
import { bareKeygenEcdh, deviceHandshakes, prepareHandshakes, type BaselineInputs } from "../test/ble/handshake-workload.js";

const WORKLOAD = "test/ble/handshake-workload.ts";
const PAIRING_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const NODE_ROUNDS = 9;
const NODE_PER_ROUND = 20;
const GOAL = 1.1;

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The app ephemeral keys of the prepared hellos, so both workloads agree with the same points. */
function baselineFor(hellosHex: string[]): BaselineInputs {
  return { seed: "bench-baseline", peersHex: hellosHex.map((hello) => bytesToHex(hexToBytes(hello).subarray(2, 67))) };
}

function xsCost(one: XsMeasurement, three: XsMeasurement) {
  return {
    firstCompute: one.compute,
    eachCompute: Math.round((three.compute - one.compute) / 2),
    firstWallMs: round(one.wallMs),
    eachWallMs: round((three.wallMs - one.wallMs) / 2),
    heapCountAfterFirst: one.heapCount,
    allocateAfterFirst: one.allocate,
  };
}

function nodeEachMs(): { handshakeMs: number; bareMs: number; ratio: number } {
  const inputs = prepareHandshakes(PAIRING_KEY, "bench-node", NODE_PER_ROUND);
  const baseline = baselineFor(inputs.hellosHex);
  deviceHandshakes(inputs);
  bareKeygenEcdh(baseline);
  const handshake: number[] = [];
  const bare: number[] = [];
  const ratios: number[] = [];
  // Alternating rounds, so that a busy machine slows both sides alike.
  for (let r = 0; r < NODE_ROUNDS; r++) {
    let started = performance.now();
    deviceHandshakes(inputs);
    const h = (performance.now() - started) / NODE_PER_ROUND;
    started = performance.now();
    bareKeygenEcdh(baseline);
    const b = (performance.now() - started) / NODE_PER_ROUND;
    handshake.push(h);
    bare.push(b);
    ratios.push(h / b);
  }
  return { handshakeMs: round(median(handshake)), bareMs: round(median(bare)), ratio: round(median(ratios)) };
}

export default async function ble(): Promise<Record<string, unknown>> {
  const one = prepareHandshakes(PAIRING_KEY, "bench-xs", 1);
  const three = prepareHandshakes(PAIRING_KEY, "bench-xs", 3);
  const handshake = xsCost(await measureInXs(WORKLOAD, "deviceHandshakes", one), await measureInXs(WORKLOAD, "deviceHandshakes", three));
  const bare = xsCost(
    await measureInXs(WORKLOAD, "bareKeygenEcdh", baselineFor(one.hellosHex)),
    await measureInXs(WORKLOAD, "bareKeygenEcdh", baselineFor(three.hellosHex)),
  );
  const node = nodeEachMs();
  const xsRatioEach = round(handshake.eachCompute / bare.eachCompute);
  return {
    operation: "device side of the BLE installer handshake vs one bare noble P-256 keygen + ECDH",
    goalRatio: GOAL,
    xs: {
      handshake,
      bareKeygenEcdh: bare,
      computeRatio: { first: round(handshake.firstCompute / bare.firstCompute), each: xsRatioEach },
      heapCountRatioFirst: round(handshake.heapCountAfterFirst / bare.heapCountAfterFirst),
    },
    node: { handshakeEachMs: node.handshakeMs, bareKeygenEcdhEachMs: node.bareMs, ratio: node.ratio, rounds: NODE_ROUNDS, perRound: NODE_PER_ROUND },
    meetsGoal: { xs: xsRatioEach <= GOAL, node: node.ratio <= GOAL },
  };
}
