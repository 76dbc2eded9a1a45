/**
 * Power-cut runs of the ring log on the NOR flash simulator: a scenario plays against a log while
 * cuts land on chosen program / erase operations; after each cut a fresh log is mounted on the
 * same chip and the oracle checks the invariants (log-oracle.ts). Node-free, so XS can run it too.
 */
import { NorFlash, PowerCut, TORN_MODELS, type TornModel } from "../../hosts/sim/nor-flash.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { RingLog, type OverflowPolicy } from "../../modules/log/ring-log.js";
import { LogOracle, type InFlight } from "./log-oracle.js";
import { makeScenario, type LogOp } from "./log-scenario.js";
import { ProgramOnceFlash } from "./program-once-flash.js";

export interface TortureSetup {
  sectors: number;
  sectorSize: number;
  unit: 1 | 4 | 16;
  model: TornModel;
  policy: OverflowPolicy;
  /** Seeds the torn bits of the simulator. */
  flashSeed: number | string;
}

export interface TortureResult {
  violations: string[];
  cuts: number;
  /** Program and erase operations the run performed. */
  operations: number;
  erasesPerSector: number[];
}

/** Distance in flash operations from now to the next cut, or undefined for no more cuts. */
export type CutPlan = (cutsSoFar: number) => number | undefined;

export function runScenario(setup: TortureSetup, ops: readonly LogOp[], plan: CutPlan): TortureResult {
  const flash = new NorFlash({
    blocks: setup.sectors, blockSize: setup.sectorSize, writeGranularity: setup.unit, random: new SeededRandom(setup.flashSeed),
  });
  const budget = setup.sectors * 35 + 2 * setup.sectorSize + 64;
  const oracle = new LogOracle(setup.policy, budget);
  const guarded = new ProgramOnceFlash(flash, (message) => oracle.violations.push(message));
  let cuts = 0;
  // The flash operation the next cut is armed for; a clean power-off disarms the simulator's cut.
  let cutAt: number | undefined;
  const arm = () => {
    const distance = plan(cuts);
    cutAt = distance === undefined ? undefined : flash.stats.operations + distance;
    rearm();
  };
  const rearm = () => {
    if (cutAt === undefined) flash.disarmPowerCut();
    else flash.armPowerCut(cutAt - flash.stats.operations, setup.model);
  };
  const remount = (inFlight: InFlight | undefined, label: string): RingLog => {
    flash.powerOn();
    const { log, report } = RingLog.mount(guarded, { policy: setup.policy });
    oracle.verifyRemount(log, report, inFlight, label);
    return log;
  };
  arm();
  let log = remount(undefined, "first mount");
  for (let i = 0; i < ops.length && oracle.violations.length === 0; i++) {
    const op = ops[i];
    const label = `op ${i} ${op.kind}`;
    const inFlight: InFlight = { pending: oracle.pending() };
    try {
      perform(log, oracle, op, label);
      if (op.kind === "reboot") {
        flash.cutPower();
        log = remount(undefined, `${label} (clean)`);
        rearm();
      }
    } catch (error) {
      if (!(error instanceof PowerCut)) {
        oracle.violations.push(`${label}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        break;
      }
      cuts++;
      log = remount(inFlight, `${label} cut #${cuts} at flash op ${flash.stats.operations}`);
      arm();
    }
  }
  if (oracle.violations.length === 0) {
    flash.disarmPowerCut();
    log.flush();
    oracle.settled(log, "final flush", true);
    flash.cutPower();
    remount(undefined, "final remount");
  }
  return { violations: oracle.violations, cuts, operations: flash.stats.operations, erasesPerSector: Array.from(flash.eraseCounts) };
}

function perform(log: RingLog, oracle: LogOracle, op: LogOp, label: string): void {
  switch (op.kind) {
    case "append":
      oracle.appended(log, op.sample, log.append(op.sample), label);
      return;
    case "flush":
      log.flush();
      oracle.settled(log, label, true);
      return;
    case "send":
      log.markSent(log.stats().newestSeq);
      return;
    case "ack": {
      const { acked, newestSeq } = log.stats();
      const target = Math.max(acked, newestSeq - op.lag);
      oracle.acking(target);
      log.ack(target);
      oracle.settled(log, label);
      return;
    }
    case "reboot":
      return;
  }
}

/** Rough number of records a log of this geometry holds, for drawing acknowledgement lags. */
export function capacityOf(sectors: number, sectorSize: number): number {
  return Math.floor((sectors * (sectorSize - 64)) / 7);
}

export interface SweepResult {
  /** Runs made, each with exactly one cut. */
  runs: number;
  violations: string[];
  /** Full wraps of the ring in the reference run (without cuts). */
  wraps: number;
}

/**
 * One cut at every program and erase of the scenario, in turn (or at every `stride`th): each run
 * replays the scenario on a fresh chip, cuts at operation k, checks, and plays the rest of the
 * scenario after recovery.
 */
export function exhaustiveSweep(setup: TortureSetup, ops: readonly LogOp[], stride = 1): SweepResult {
  const reference = runScenario(setup, ops, () => undefined);
  const violations = reference.violations.map((v) => `reference run: ${v}`);
  let runs = 0;
  for (let k = 1; k <= reference.operations && violations.length < 20; k += stride) {
    const result = runScenario(setup, ops, (cuts) => (cuts === 0 ? k : undefined));
    runs++;
    violations.push(...result.violations.map((v) => `cut at op ${k}: ${v}`));
    if (result.cuts !== 1 && result.violations.length === 0) violations.push(`cut at op ${k} did not happen`);
  }
  return { runs, violations, wraps: Math.min(...reference.erasesPerSector) };
}

/** The exhaustive sweep of the issue: both policies, both torn models, every write unit. */
export function sweepSetups(sectors: number, sectorSize: number): TortureSetup[] {
  const setups: TortureSetup[] = [];
  for (const policy of ["stop", "drop-oldest"] as const) {
    for (const model of TORN_MODELS) {
      for (const unit of [1, 4, 16] as const) setups.push({ sectors, sectorSize, unit, model, policy, flashSeed: `${model}/${unit}` });
    }
  }
  return setups;
}

/** A scenario long enough to wrap the ring at least twice with acks, outages and reboots. */
export function sweepScenario(sectors: number, sectorSize: number): LogOp[] {
  const capacity = capacityOf(sectors, sectorSize);
  return makeScenario(`sweep ${sectors}x${sectorSize}`, { rounds: Math.ceil(capacity * 2), capacity });
}

/** A random geometry, policy, torn model, scenario and cut schedule, all from one seed. */
export function randomRun(seed: number | string): TortureResult & { setup: TortureSetup } {
  const random = new SeededRandom(`torture:${seed}`);
  const sectors = 3 + random.below(4);
  const sectorSize = [256, 512, 1024, 4096][random.below(4)];
  const policy: OverflowPolicy = random.next() < 0.5 ? "stop" : "drop-oldest";
  const setup: TortureSetup = {
    sectors, sectorSize, policy,
    unit: ([1, 4, 16] as const)[random.below(3)],
    model: TORN_MODELS[random.below(TORN_MODELS.length)],
    flashSeed: `flash:${seed}`,
  };
  const capacity = capacityOf(sectors, sectorSize);
  const ops = makeScenario(`${seed}`, {
    rounds: 40 + random.below(Math.min(600, capacity)), capacity, flushChance: 0.2 + 0.6 * random.next(),
  });
  const maxCuts = 1 + random.below(6);
  const spacing = 1 + random.below(80);
  const plan: CutPlan = (cuts) => (cuts < maxCuts ? 1 + random.below(spacing) : undefined);
  return { ...runScenario(setup, ops, plan), setup };
}
