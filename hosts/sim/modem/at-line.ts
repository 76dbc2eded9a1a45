/** How the simulated module's command interpreter splits a received command line. */

export interface AtArgument {
  text: string;
  quoted: boolean;
}

export interface AtLine {
  /** `+QMTPUB`, `E` (for ATE0), `I`, `` for a bare `AT`; upper case. */
  name: string;
  kind: "exec" | "read" | "test" | "set";
  args: AtArgument[];
}

/** Parses one line (without CR); undefined when it is no valid single command. */
export function parseAtLine(line: string): AtLine | undefined {
  if (!/^AT/i.test(line)) return undefined;
  const body = line.slice(2);
  if (body === "") return { name: "", kind: "exec", args: [] };
  const extended = /^([+&][A-Za-z][A-Za-z0-9]*)(.*)$/.exec(body);
  if (extended) return withArguments(extended[1].toUpperCase(), extended[2]);
  const basic = /^([A-Za-z])(\d*)$/.exec(body);
  if (!basic) return undefined;
  return basic[2] ? { name: basic[1].toUpperCase(), kind: "set", args: [{ text: basic[2], quoted: false }] } : { name: basic[1].toUpperCase(), kind: "exec", args: [] };
}

function withArguments(name: string, rest: string): AtLine | undefined {
  if (rest === "") return { name, kind: "exec", args: [] };
  if (rest === "?") return { name, kind: "read", args: [] };
  if (rest === "=?") return { name, kind: "test", args: [] };
  if (rest[0] !== "=") return undefined;
  const args = splitArguments(rest.slice(1));
  return args ? { name, kind: "set", args } : undefined;
}

function splitArguments(text: string): AtArgument[] | undefined {
  const args: AtArgument[] = [];
  let current = "";
  let quoted = false;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === "\"") inQuotes = false;
      else current += c;
    } else if (c === "\"") {
      if (current.trim()) return undefined;
      inQuotes = true;
      quoted = true;
      current = "";
    } else if (c === ",") {
      args.push({ text: quoted ? current : current.trim(), quoted });
      current = "";
      quoted = false;
    } else if (c === ";") {
      return undefined;
    } else if (!quoted) {
      current += c;
    } else if (c !== " ") {
      return undefined;
    }
  }
  if (inQuotes) return undefined;
  args.push({ text: quoted ? current : current.trim(), quoted });
  return args;
}
