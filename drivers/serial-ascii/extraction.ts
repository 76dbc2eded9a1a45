/**
 * Values out of a text line from an RS232 sensor, configured rather than coded: split by a
 * delimiter and take fields by index (`$TEMP,21.4,C` → field 1), or match a regular expression
 * and take its groups. A line that does not have the fields, or a field that is not a plain
 * decimal number, gives an error, never a value.
 */
import type { Parsed } from "../serial-port/parsed.js";

export type FieldExtraction =
  /** Fields by 0-based index after splitting on `delimiter`; `prefix` picks the lines to read. */
  | { kind: "delimited"; delimiter: string; fields: readonly number[]; prefix?: string }
  /** Capture groups (1-based) of `pattern`; lines that do not match are not for this channel. */
  | { kind: "pattern"; pattern: string; groups: readonly number[] };

export interface LineExtractor {
  /** Whether the line is one this channel reads (others, e.g. other sentence types, are skipped). */
  wants(line: string): boolean;
  extract(line: string): Parsed<number[]>;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/;

export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function isIndexList(values: readonly number[], min: number): boolean {
  return values.length > 0 && values.every((v) => Math.floor(v) === v && v >= min && v <= 64);
}

/** Checks the configuration and builds the extractor, or says what is wrong. */
export function compileExtraction(extraction: FieldExtraction): LineExtractor | string {
  if (extraction.kind === "delimited") {
    const { delimiter, fields, prefix } = extraction;
    if (typeof delimiter !== "string" || delimiter.length < 1 || delimiter.length > 4) return "delimiter must be 1..4 characters";
    if (!isIndexList(fields, 0)) return "fields must be a list of indexes 0..64";
    return {
      wants: (line) => prefix === undefined || line.startsWith(prefix),
      extract: (line) => {
        const parts = line.split(delimiter);
        const values: number[] = [];
        for (const index of fields) {
          if (index >= parts.length) return { ok: false, error: `line has ${parts.length} fields, field ${index} wanted` };
          const value = parseDecimal(parts[index]);
          if (value === undefined) return { ok: false, error: `field ${index} "${parts[index].slice(0, 20)}" is not a number` };
          values.push(value);
        }
        return { ok: true, value: values };
      },
    };
  }
  if (extraction.kind === "pattern") {
    if (!isIndexList(extraction.groups, 1)) return "groups must be a list of group numbers 1..64";
    let pattern: RegExp;
    try {
      pattern = new RegExp(extraction.pattern);
    } catch (error) {
      return `pattern does not compile: ${error instanceof Error ? error.message : String(error)}`;
    }
    return {
      wants: (line) => pattern.test(line),
      extract: (line) => {
        const match = pattern.exec(line);
        if (!match) return { ok: false, error: "line does not match the pattern" };
        const values: number[] = [];
        for (const group of extraction.groups) {
          const text = match[group];
          const value = text === undefined ? undefined : parseDecimal(text);
          if (value === undefined) return { ok: false, error: `group ${group} "${String(text).slice(0, 20)}" is not a number` };
          values.push(value);
        }
        return { ok: true, value: values };
      },
    };
  }
  return `extraction kind ${String((extraction as { kind: unknown }).kind)} is not delimited or pattern`;
}
