/**
 * Reads a worked example from a document: the first ```text block after `heading`, one
 * `name: value` per line, so that tests can hold the document to what the code computes.
 */
import { readFileSync } from "node:fs";
import { hexToBytes } from "@noble/hashes/utils.js";

export interface DocExample {
  lines: Array<[string, string]>;
  value(name: string): string | undefined;
  hex(name: string): Uint8Array;
}

export function docExample(path: string, heading: string): DocExample {
  const text = readFileSync(path, "utf8");
  const at = text.indexOf(heading);
  if (at < 0) throw new Error(`${path} has no "${heading}"`);
  const block = /```text\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`${path}: no worked example block after "${heading}"`);
  const lines = block[1].trim().split("\n").map((line): [string, string] => {
    const [name, value] = line.split(": ");
    return [name, value];
  });
  const values = new Map(lines);
  return {
    lines,
    value: (name) => values.get(name),
    hex(name) {
      const value = values.get(name);
      if (value === undefined) throw new Error(`${path}: no ${name} in the example`);
      return hexToBytes(value);
    },
  };
}
