/**
 * Firmware runs on XS on a microcontroller: anything under modules/ or drivers/ that reaches for
 * Node (or for eval) would only fail on the board. This scanner finds such uses in source text.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface Violation {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const RULES: ReadonlyArray<{ rule: string; pattern: RegExp }> = [
  { rule: "node: import", pattern: /\bfrom\s+["']node:|\bimport\s*\(\s*["']node:|\bimport\s+["']node:/ },
  { rule: "Node built-in module", pattern: /\bfrom\s+["'](fs|path|os|net|tls|crypto|child_process|events|stream|util|http|https|worker_threads|timers)(\/[\w/]*)?["']/ },
  { rule: "require()", pattern: /\brequire\s*\(/ },
  { rule: "Buffer", pattern: /\bBuffer\s*[.(]|\bnew\s+Buffer\b|:\s*Buffer\b/ },
  { rule: "process", pattern: /\bprocess\s*\.|\bglobalThis\.process\b/ },
  { rule: "global timer", pattern: /(^|[^.\w])(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)\s*\(/ },
  { rule: "eval", pattern: /(^|[^.\w])eval\s*\(|\bnew\s+Function\s*\(/ },
];

function stripComments(source: string): string[] {
  const withoutBlocks = source.replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, " "));
  return withoutBlocks.split("\n").map((line) => line.replace(/(^|[^:"'`])\/\/.*$/, "$1"));
}

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|js|mjs)$/.test(entry)) files.push(path);
  }
  return files;
}

export function scanFirmware(directories: readonly string[]): Violation[] {
  const violations: Violation[] = [];
  for (const directory of directories) {
    for (const file of sourceFiles(directory)) {
      const lines = stripComments(readFileSync(file, "utf8"));
      lines.forEach((text, index) => {
        for (const { rule, pattern } of RULES) {
          if (pattern.test(text)) violations.push({ file, line: index + 1, rule, text: text.trim() });
        }
      });
    }
  }
  return violations;
}
