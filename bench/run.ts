/**
 * `npm run bench --silent -- [NAME...]`: runs bench/<NAME>.bench.ts (all of them without a name)
 * and prints one JSON object per benchmark on its own line.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

export type Benchmark = () => Promise<Record<string, unknown>>;

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith(".bench.ts")).map((f) => f.replace(/\.bench\.ts$/, "")).sort();
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!available.includes(name)) {
    console.error(`no benchmark "${name}"; available: ${available.join(", ")}`);
    process.exit(2);
  }
}
for (const name of wanted.length ? wanted : available) {
  const module = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as { default: Benchmark };
  const result = await module.default();
  console.log(JSON.stringify({ benchmark: name, ...result }));
}
