/**
 * What a function costs on XS: bundles a module, calls one of its exported functions once in a
 * fresh xsnap-worker, and returns the XS metering of that call alone (not of loading the bundle)
 * with the call's result. Benches use it to put an XS cost next to a Node one.
 */
import { bundleForXs } from "./bundle.js";
import { nodeServices, servicesQueryHandler } from "./host-services.js";
import { XsWorker } from "./worker.js";

export interface XsMeasurement {
  /** XS metering steps of the call (about one per bytecode executed). */
  compute: number;
  /** Heap slots in use right after the call: the loaded bundle, live objects, uncollected garbage. */
  heapCount: number;
  /** Bytes XS had allocated for its heap when the call ended. */
  allocate: number;
  /** The call's return value (awaited if it is a promise), through JSON. */
  result: unknown;
  /** Wall-clock milliseconds of the call, timed inside XS. */
  wallMs: number;
}

export interface MeasureOptions {
  meteringLimit?: number;
  /** Where the bundle's console output goes; default: our stderr. */
  onLog?: (level: string, text: string) => void;
}

const EXPORTS = "__xsMeasured";

export async function measureInXs(entryFile: string, exportName: string, args?: unknown, options: MeasureOptions = {}): Promise<XsMeasurement> {
  const bundle = await bundleForXs(entryFile, { globalName: EXPORTS });
  const onLog = options.onLog ?? ((level, text) => process.stderr.write(`[xs ${level}] ${text}\n`));
  const worker = new XsWorker({ name: "measure", meteringLimit: options.meteringLimit, onQuery: servicesQueryHandler(nodeServices(onLog)) });
  try {
    await worker.evaluate(bundle);
    const name = JSON.stringify(exportName);
    // Arguments are parsed, the export checked and garbage collected before the measured call.
    await worker.evaluate(`
      if (typeof ${EXPORTS}[${name}] !== "function") throw new TypeError(${JSON.stringify(`${entryFile} exports no function "${exportName}"`)});
      globalThis.__xsArgs = ${args === undefined ? "undefined" : `JSON.parse(${JSON.stringify(JSON.stringify(args))})`};
      gc();`);
    const call = await worker.evaluate(`
      globalThis.__xsStarted = performance.now();
      globalThis.__xsOutcome = ${EXPORTS}[${name}](__xsArgs);
      globalThis.__xsWallMs = performance.now() - __xsStarted;
      if (__xsOutcome && typeof __xsOutcome.then === "function") {
        __xsOutcome.then(
          (value) => { __xsOutcome = value; __xsWallMs = performance.now() - __xsStarted; },
          (error) => { globalThis.__xsRejected = error; });
      }`);
    const output = await worker.evaluate(`
      if (globalThis.__xsRejected !== undefined) throw __xsRejected;
      if (__xsOutcome && typeof __xsOutcome.then === "function") throw new Error("the measured promise did not settle within the call");
      new TextEncoder().encode(JSON.stringify({ result: __xsOutcome, wallMs: __xsWallMs })).buffer;`);
    const { result, wallMs } = JSON.parse(new TextDecoder().decode(output.reply)) as { result: unknown; wallMs: number };
    return { compute: call.meter.compute, heapCount: call.meter.heapCount, allocate: call.meter.allocate, result, wallMs };
  } finally {
    await worker.close();
  }
}
