/** Minimal `--name value` / `--flag` parsing with clear errors for unknown options. */
export interface ParsedArgs {
  values: Map<string, string>;
  flags: Set<string>;
}

export function parseArgs(args: string[], valued: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const parsed: ParsedArgs = { values: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const name = arg.replace(/^--/, "");
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"`);
    if (flags.includes(name)) {
      parsed.flags.add(name);
    } else if (valued.includes(name)) {
      const value = args[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      parsed.values.set(name, value);
    } else {
      throw new Error(`unknown option ${arg}; known: ${[...valued, ...flags].map((n) => `--${n}`).join(" ")}`);
    }
  }
  return parsed;
}
