/**
 * Reads fields of untyped JSON while collecting every problem with its path
 * (`channels[2].signal.shuntOhms: ...`), so that one validation run reports all mistakes at once.
 * A field with a problem yields its default (or a placeholder): the caller throws at the end.
 */

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** Strictly greater than min. */
  aboveMin?: boolean;
}

export class Fields {
  readonly #seen = new Set<string>();

  private constructor(
    readonly path: string,
    readonly source: Readonly<Record<string, unknown>>,
    readonly problems: string[],
  ) {}

  /** Wraps `value` when it is a plain object; otherwise records a problem. */
  static of(value: unknown, path: string, problems: string[]): Fields | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${path || "configuration"}: expected an object`);
      return undefined;
    }
    return new Fields(path, value as Record<string, unknown>, problems);
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  problem(key: string, message: string): void {
    this.problems.push(`${this.at(key)}: ${message}`);
  }

  has(key: string): boolean {
    return this.source[key] !== undefined;
  }

  #take(key: string): unknown {
    this.#seen.add(key);
    return this.source[key];
  }

  number(key: string, rule: NumberRule, fallback?: number): number {
    const value = this.optionalNumber(key, rule);
    if (value !== undefined) return value;
    if (fallback === undefined && !this.has(key)) this.problem(key, "required");
    return fallback ?? 0;
  }

  optionalNumber(key: string, rule: NumberRule): number | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !isFinite(value)) {
      this.problem(key, `expected a number, got ${describe(value)}`);
      return undefined;
    }
    if (rule.integer && !Number.isInteger(value)) this.problem(key, `expected a whole number, got ${value}`);
    else if (rule.min !== undefined && (rule.aboveMin ? value <= rule.min : value < rule.min)) {
      this.problem(key, `${value} is too small (must be ${rule.aboveMin ? "above" : "at least"} ${rule.min})`);
    } else if (rule.max !== undefined && value > rule.max) this.problem(key, `${value} is too large (at most ${rule.max})`);
    else return value;
    return undefined;
  }

  optionalString(key: string): string | undefined {
    const value = this.#take(key);
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.length === 0) {
      this.problem(key, `expected a non-empty string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  string(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined && !this.has(key)) this.problem(key, "required");
    return value ?? "";
  }

  oneOf<T extends string | number>(key: string, allowed: readonly T[], fallback?: T): T {
    const value = this.#take(key);
    if (value === undefined) {
      if (fallback === undefined) this.problem(key, `required, one of ${allowed.join(", ")}`);
      return fallback ?? allowed[0];
    }
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) this.problem(key, `${describe(value)} is not one of ${allowed.join(", ")}`);
    return match ?? allowed[0];
  }

  optionalOneOf<T extends string | number>(key: string, allowed: readonly T[]): T | undefined {
    return this.has(key) ? this.oneOf(key, allowed) : undefined;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.#take(key);
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
      this.problem(key, `expected true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A nested object, or undefined when absent (or invalid, with a problem recorded). */
  object(key: string): Fields | undefined {
    const value = this.#take(key);
    return value === undefined ? undefined : Fields.of(value, this.at(key), this.problems);
  }

  /** Elements of an array field with their paths; a missing optional array is empty. */
  array(key: string, required: boolean): Array<{ value: unknown; path: string }> {
    const value = this.#take(key);
    if (value === undefined) {
      if (required) this.problem(key, "required");
      return [];
    }
    if (!Array.isArray(value)) {
      this.problem(key, `expected a list, got ${describe(value)}`);
      return [];
    }
    return value.map((element, index) => ({ value: element, path: `${this.at(key)}[${index}]` }));
  }

  /** Keys not read by the parser are reported: a misspelt option must not be silently ignored. */
  finish(): void {
    for (const key of Object.keys(this.source)) {
      if (!this.#seen.has(key)) this.problem(key, "unknown setting");
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}
