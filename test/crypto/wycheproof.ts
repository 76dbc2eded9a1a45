/** Reads the shared test vectors (../shared/vectors from the project root); never copied in. */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const VECTORS_DIR = join(process.cwd(), "..", "shared", "vectors");

export type WycheproofResult = "valid" | "invalid" | "acceptable";

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: WycheproofResult;
  [field: string]: unknown;
}

export interface WycheproofGroup {
  keySize?: number;
  tagSize?: number;
  tests: WycheproofTest[];
}

export interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

export function loadVectors<T>(file: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, file), "utf8")) as T;
}

/** Every test of a Wycheproof file with its group, checking the file's own test count. */
export function wycheproofTests(file: string): Array<{ group: WycheproofGroup; test: WycheproofTest }> {
  const data = loadVectors<WycheproofFile>(file);
  const all = data.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));
  if (all.length !== data.numberOfTests) throw new Error(`${file}: ${all.length} tests, header says ${data.numberOfTests}`);
  return all;
}

export function field(test: WycheproofTest, name: string): string {
  const value = test[name];
  if (typeof value !== "string") throw new Error(`tcId ${test.tcId}: no string field "${name}"`);
  return value;
}
