/**
 * Runs shared test cases (`test/**\/*.cases.ts`, see test/support/cases.ts) inside XS: each file
 * is bundled with its imports for XS and loaded into its own xsnap-worker; each case runs in its
 * own command inside a try/catch, so a failing case is one outcome and a case that kills the
 * worker (stack overflow, runaway loop) is reported as such, after which a fresh worker takes
 * the remaining cases.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { bundleForXs, PROJECT_ROOT } from "./bundle.js";
import { nodeServices, servicesQueryHandler } from "./host-services.js";
import { XsWorker } from "./worker.js";
import { XsWorkerGone } from "./xsnap-protocol.js";

export interface CaseOutcome {
  name: string;
  passed: boolean;
  /** Why it failed. */
  message?: string;
  /** XS metering steps of the case. */
  compute: number;
  /** Console output of the case, for the report of a failure. */
  log: string[];
}

export interface FileOutcome {
  /** Relative to the project root. */
  file: string;
  cases: CaseOutcome[];
  /** The file could not be bundled or loaded, or exports no cases: none of its cases ran. */
  error?: string;
}

const CASES_GLOBAL = "__xsCases";

/** Every `*.cases.ts` under `directory`, relative to the project root, sorted. */
export function findCaseFiles(directory = join(PROJECT_ROOT, "test")): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === "node_modules" || entry.startsWith(".")) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(".cases.ts")) found.push(relative(PROJECT_ROOT, path));
    }
  };
  walk(directory);
  return found;
}

export async function runCaseFile(file: string): Promise<FileOutcome> {
  let bundle: string;
  try {
    bundle = await bundleForXs(join(PROJECT_ROOT, file), { globalName: CASES_GLOBAL });
  } catch (error) {
    return { file, cases: [], error: (error as Error).message };
  }
  const session = new CaseSession(file, bundle);
  try {
    const names = await session.start();
    if (typeof names === "string") return { file, cases: [], error: names };
    const cases: CaseOutcome[] = [];
    for (let index = 0; index < names.length; index++) cases.push(await session.run(index, names[index]));
    return { file, cases };
  } finally {
    await session.close();
  }
}

/** One worker with the file's bundle loaded, replaced when a case kills it. */
class CaseSession {
  #worker: XsWorker | undefined;
  #log: string[] = [];

  constructor(readonly file: string, readonly bundle: string) {}

  /** Loads the bundle; returns the case names, or why there are none to run. */
  async start(): Promise<string[] | string> {
    try {
      const worker = await this.#load();
      const listing = await worker.evaluate(`
        const cases = ${CASES_GLOBAL}.cases;
        const valid = Array.isArray(cases) && cases.every((c) => c && typeof c.name === "string" && typeof c.run === "function");
        new TextEncoder().encode(JSON.stringify(valid ? cases.map((c) => c.name) : null)).buffer;`);
      const names = JSON.parse(new TextDecoder().decode(listing.reply)) as string[] | null;
      return names ?? "exports no `cases` array of { name, run() } (test/support/cases.ts)";
    } catch (error) {
      return `loading in XS failed: ${(error as Error).message}`;
    }
  }

  async run(index: number, name: string): Promise<CaseOutcome> {
    this.#log = [];
    try {
      const worker = this.#worker ?? await this.#load();
      const started = await worker.evaluate(`
        globalThis.__xsOutcome = undefined;
        try {
          const returned = ${CASES_GLOBAL}.cases[${index}].run();
          if (returned && typeof returned.then === "function") {
            returned.then(() => { __xsOutcome = { passed: true }; }, (error) => { __xsOutcome = __xsFailure(error); });
          } else {
            __xsOutcome = { passed: true };
          }
        } catch (error) {
          __xsOutcome = __xsFailure(error);
        }`);
      // A second command reads the outcome, after the first one's promise jobs have run.
      const read = await worker.evaluate(`new TextEncoder().encode(JSON.stringify(__xsOutcome ?? { passed: false, message: "the case's promise did not settle" })).buffer;`);
      const outcome = JSON.parse(new TextDecoder().decode(read.reply)) as { passed: boolean; message?: string };
      return { name, ...outcome, compute: started.meter.compute, log: this.#log };
    } catch (error) {
      if (error instanceof XsWorkerGone) this.#worker = undefined;
      return { name, passed: false, message: `the XS worker failed: ${(error as Error).message}`, compute: 0, log: this.#log };
    }
  }

  async close(): Promise<void> {
    await this.#worker?.close();
  }

  async #load(): Promise<XsWorker> {
    const worker = new XsWorker({
      name: this.file.replace(/[^\w.-]+/g, "-"),
      onQuery: servicesQueryHandler(nodeServices((level, text) => this.#log.push(`${level}: ${text}`))),
      onOutput: (line) => this.#log.push(line),
    });
    try {
      await worker.evaluate(this.bundle);
      await worker.evaluate(`
        globalThis.__xsFailure = (error) => ({
          passed: false,
          message: error instanceof Error ? \`\${error.name}: \${error.message}\` : \`threw \${String(error)}\`,
        });`);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    this.#worker = worker;
    return worker;
  }
}
