/**
 * Fuzzing the line extractors with random and mutated lines: nothing may throw, and values come
 * only from lines whose wanted fields are plain decimal numbers (an independent check).
 */
import { equal, ok } from "../support/assert.js";
import { compileExtraction } from "../../drivers/serial-ascii/extraction.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { ALL_MUTATIONS, mutate, randomBytes } from "../sdi12/mutations.js";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/;

function referenceFields(line: string, fields: readonly number[]): boolean {
  const parts = line.split(",");
  return fields.every((i) => i < parts.length && DECIMAL.test(parts[i].trim()) && Number.isFinite(Number(parts[i])));
}

export function fuzzExtraction(iterations: number, seed: number): number {
  const random = new SeededRandom(seed);
  const delimited = compileExtraction({ kind: "delimited", delimiter: ",", fields: [1, 2] });
  const pattern = compileExtraction({ kind: "pattern", pattern: "^\\$TEMP,([^,]*),", groups: [1] });
  if (typeof delimited === "string" || typeof pattern === "string") throw new Error("extraction settings");
  let lines = 0;
  for (let i = 0; i < 2 * iterations; i++) {
    const bytes = i < iterations
      ? randomBytes(random, 30, "0123456789+-.,eE $TEMP")
      : mutate(Uint8Array.from("$TEMP,21.4,-3.5e2", (c) => c.charCodeAt(0)), ALL_MUTATIONS[random.below(ALL_MUTATIONS.length)], random);
    const line = String.fromCharCode(...bytes);
    const result = delimited.extract(line);
    equal(result.ok, referenceFields(line, [1, 2]), JSON.stringify(line));
    if (result.ok) ok(result.value.every(Number.isFinite));
    const matched = pattern.extract(line);
    if (matched.ok) ok(line.startsWith("$TEMP,") && referenceFields(line, [1]), JSON.stringify(line));
    lines++;
  }
  return lines;
}
