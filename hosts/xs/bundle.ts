/**
 * Bundles TypeScript for xsnap-worker: one ES2020 script (XS 13 rejects newer syntax such as
 * class static blocks, which noble uses), no Node built-ins, the XS prelude (console, crypto)
 * evaluated before anything else.
 */
import { build, type Plugin } from "esbuild";
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = resolve(here, "..", "..");
const PRELUDE = resolve(here, "in-xs", "prelude.ts");

export interface XsBundleOptions {
  /** Where the entry's exports appear in XS (`globalThis[globalName]`); none: exports are dropped. */
  globalName?: string;
}

/** Bundles `entry` (a path) so that evaluating the result in XS loads it with the prelude first. */
export function bundleForXs(entry: string, options: XsBundleOptions = {}): Promise<string> {
  const entryPath = resolve(entry);
  return bundleSource(`import ${JSON.stringify(PRELUDE)};\nexport * from ${JSON.stringify(entryPath)};\n`, relative(PROJECT_ROOT, entryPath), options);
}

/** Bundles a generated entry module, given as source text whose imports are absolute paths. */
export async function bundleSource(source: string, label: string, options: XsBundleOptions = {}): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: PROJECT_ROOT, sourcefile: `xs-entry:${label}`, loader: "ts" },
    bundle: true,
    write: false,
    format: "iife",
    globalName: options.globalName,
    target: "es2020",
    // XS implements private class members natively; lowered to ES2020 they become WeakMap
    // lookups that cost an order of magnitude more on hot paths (per-byte parsers, the log).
    supported: {
      "class-private-field": true,
      "class-private-method": true,
      "class-private-accessor": true,
      "class-private-brand-check": true,
    },
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    plugins: [refuseNodeBuiltins],
    logLevel: "silent",
    legalComments: "none",
    charset: "utf8",
  }).catch((error: unknown) => {
    throw new Error(`cannot bundle ${label} for XS: ${describeBuildError(error)}`);
  });
  return result.outputFiles[0].text;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** A Node built-in in an XS bundle is a bug in the bundled code, not something to stub. */
const refuseNodeBuiltins: Plugin = {
  name: "refuse-node-builtins",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const root = args.path.split("/")[0];
      if (!NODE_BUILTINS.has(args.path) && !NODE_BUILTINS.has(root)) return undefined;
      const importer = args.importer ? relative(PROJECT_ROOT, args.importer) : "the entry";
      return { errors: [{ text: `Node built-in "${args.path}" imported by ${importer} cannot run in XS` }] };
    });
  },
};

function describeBuildError(error: unknown): string {
  const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
  if (!errors?.length) return error instanceof Error ? error.message : String(error);
  return errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)).join("; ");
}
