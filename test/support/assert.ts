/**
 * Assertions with no Node dependency, so that test cases shared between mocha and the XS
 * engine (`*.cases.ts`) behave the same in both.
 */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array[${Array.from(value, (b) => b.toString(16).padStart(2, "0")).join(" ")}]`;
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

export function ok(value: unknown, message = "expected a truthy value"): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function notEqual<T>(actual: T, unexpected: T, message?: string): void {
  if (Object.is(actual, unexpected)) throw new AssertionError(`${message ? message + ": " : ""}did not expect ${show(actual)}`);
}

function deepEqualValues(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => deepEqualValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

export function deepEqual<T>(actual: T, expected: T, message?: string): void {
  if (!deepEqualValues(actual, expected)) {
    throw new AssertionError(`${message ? message + ": " : ""}expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** Expects `run` to throw; `expected` matches the message (RegExp) or the class. */
type ErrorClass = abstract new (...args: never[]) => Error;

export function throws(run: () => unknown, expected?: RegExp | ErrorClass, message?: string): Error {
  try {
    run();
  } catch (error) {
    if (!(error instanceof Error)) throw new AssertionError(`threw a non-Error: ${show(error)}`);
    if (expected instanceof RegExp && !expected.test(error.message)) {
      throw new AssertionError(`${message ? message + ": " : ""}error "${error.message}" does not match ${expected}`);
    }
    const thrownName = error.name;
    if (expected !== undefined && !(expected instanceof RegExp) && !(error instanceof expected)) {
      throw new AssertionError(`${message ? message + ": " : ""}threw ${thrownName}, expected ${expected.name}`);
    }
    return error;
  }
  throw new AssertionError(message ?? "expected an exception");
}
