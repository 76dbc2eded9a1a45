/**
 * `npm run torture -- [--runs N] [--seed S] [--jobs J] [--no-sweep]`: the ring log's full power-cut
 * campaign. First the exhaustive single-cut sweeps (a cut at every program and erase, each
 * policy x torn model x write unit, on 3 x 512 B and 3 x 4 KiB sectors), then N random multi-cut
 * runs seeded from S. Work is spread over J worker processes. Prints one JSON summary line and
 * exits 1 if any invariant was violated.
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { exhaustiveSweep, randomRun, sweepScenario, sweepSetups, type TortureSetup } from "./torture.js";

type Task =
  | { kind: "sweep"; sectors: number; sectorSize: number; index: number }
  | { kind: "random"; seed: string; from: number; to: number };

interface TaskResult {
  task: Task;
  runs: number;
  cuts: number;
  violations: string[];
}

const RANDOM_CHUNK = 250;

function runTask(task: Task): TaskResult {
  if (task.kind === "sweep") {
    const setup: TortureSetup = sweepSetups(task.sectors, task.sectorSize)[task.index];
    const sweep = exhaustiveSweep(setup, sweepScenario(task.sectors, task.sectorSize));
    const violations = sweep.wraps >= 2 ? sweep.violations : [...sweep.violations, `scenario wrapped only ${sweep.wraps} times`];
    return { task, runs: sweep.runs, cuts: sweep.runs, violations: violations.map((v) => `${JSON.stringify(setup)}: ${v}`) };
  }
  let cuts = 0;
  const violations: string[] = [];
  for (let i = task.from; i < task.to; i++) {
    const result = randomRun(`${task.seed}:${i}`);
    cuts += result.cuts;
    if (result.violations.length) violations.push(`seed "${task.seed}:${i}" ${JSON.stringify(result.setup)}: ${result.violations[0]}`);
  }
  return { task, runs: task.to - task.from, cuts, violations };
}

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

function plan(args: string[]): Task[] {
  const runs = Number(option(args, "--runs", "1000"));
  const seed = option(args, "--seed", "1");
  if (!Number.isInteger(runs) || runs < 0) throw new Error(`--runs ${runs} is not a whole number`);
  const tasks: Task[] = [];
  if (!args.includes("--no-sweep")) {
    for (const [sectors, sectorSize] of [[3, 4096], [3, 512]] as const) {
      sweepSetups(sectors, sectorSize).forEach((_, index) => tasks.push({ kind: "sweep", sectors, sectorSize, index }));
    }
  }
  for (let from = 0; from < runs; from += RANDOM_CHUNK) tasks.push({ kind: "random", seed, from, to: Math.min(runs, from + RANDOM_CHUNK) });
  return tasks;
}

async function main(args: string[]): Promise<number> {
  const tasks = plan(args);
  const jobs = Math.max(1, Math.min(Number(option(args, "--jobs", String(availableParallelism()))), tasks.length));
  const started = Date.now();
  const totals = {
    sweep: { setups: 0, cuts: 0, violations: 0 },
    random: { runs: 0, cuts: 0, violations: 0 },
  };
  const examples: string[] = [];
  let next = 0;
  const record = (result: TaskResult) => {
    const bucket = result.task.kind === "sweep" ? totals.sweep : totals.random;
    if (result.task.kind === "sweep") totals.sweep.setups++;
    else totals.random.runs += result.runs;
    bucket.cuts += result.cuts;
    bucket.violations += result.violations.length;
    examples.push(...result.violations.slice(0, Math.max(0, 10 - examples.length)));
    process.stderr.write(`torture: ${JSON.stringify(totals)} after ${Math.round((Date.now() - started) / 1000)} s\n`);
  };
  const workers: ChildProcess[] = [];
  await Promise.all(Array.from({ length: jobs }, () => new Promise<void>((resolve, reject) => {
    const worker = fork(fileURLToPath(import.meta.url), ["--worker"]);
    workers.push(worker);
    const feed = () => {
      if (next < tasks.length) worker.send(tasks[next++]);
      else {
        worker.disconnect();
        resolve();
      }
    };
    worker.on("message", (result: TaskResult) => {
      record(result);
      feed();
    });
    worker.on("exit", (code) => { if (code) reject(new Error(`torture worker exited with ${code}`)); });
    feed();
  })));
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(JSON.stringify({ ...totals, seconds, jobs, examples }));
  return totals.sweep.violations + totals.random.violations === 0 ? 0 : 1;
}

if (process.argv.includes("--worker")) {
  process.on("message", (task: Task) => process.send?.(runTask(task)));
} else {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
}
