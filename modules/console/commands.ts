/**
 * The console's command language: a line of words, the first naming the command. Keywords are
 * case-insensitive; values keep their case. Parsing is pure: it either yields one fully
 * validated Command or an error, so nothing runs on a half-understood line.
 */
import { checkAtCommand } from "./at-allowlist.js";
import type { SensorPort, SensorPortChange } from "./services.js";
import { BAUD_RATES, parseApn, parseSensorPort, parseSensorPortChange, SENSOR_PORTS } from "./settings.js";
import { accepted, quote, rejected, tokenize, type Parsed } from "./tokens.js";

export type Command =
  | { name: "empty" }
  | { name: "help"; topic?: string }
  | { name: "status" }
  | { name: "diag" }
  | { name: "version" }
  | { name: "modem-info" }
  | { name: "apn-show" }
  | { name: "apn-set"; apn: string }
  | { name: "serial-show"; port?: SensorPort }
  | { name: "serial-set"; port: SensorPort; change: SensorPortChange }
  | { name: "sdi12-scan" }
  | { name: "reboot" }
  | { name: "trace"; on?: boolean }
  | { name: "at"; command: string }
  | { name: "at-list" }
  | { name: "at-done" };

interface CommandSpec {
  word: string;
  usage: readonly string[];
  summary: string;
  /** `args` are the words after the command word; `rest` is the raw text after it. */
  parse(args: readonly string[], rest: string): Parsed<Command>;
}

function usageError<T>(spec: CommandSpec): Parsed<T> {
  return rejected(`usage: ${spec.usage.join(" | ")}`);
}

/** A command of fixed words and no values, such as "status" or "sdi12 scan". */
function fixed(form: string, summary: string, command: Command): CommandSpec {
  const [word, ...rest] = form.split(" ");
  const spec: CommandSpec = {
    word,
    usage: [form],
    summary,
    parse: (args) => (args.length === rest.length && args.every((arg, i) => arg.toLowerCase() === rest[i]) ? accepted(command) : usageError(spec)),
  };
  return spec;
}

const HELP: CommandSpec = {
  word: "help",
  usage: ["help", "help <command>"],
  summary: "list commands, or explain one",
  parse(args) {
    if (args.length > 1) return usageError(HELP);
    return accepted(args.length ? { name: "help", topic: args[0].toLowerCase() } : { name: "help" });
  },
};

const APN: CommandSpec = {
  word: "apn",
  usage: ["apn", "apn set <apn>"],
  summary: "show or set the cellular access point name",
  parse(args) {
    if (!args.length) return accepted({ name: "apn-show" });
    if (args[0].toLowerCase() !== "set" || args.length !== 2) return usageError(APN);
    const apn = parseApn(args[1]);
    return apn.ok ? accepted({ name: "apn-set", apn: apn.value }) : apn;
  },
};

const SERIAL: CommandSpec = {
  word: "serial",
  usage: ["serial", "serial <port>", "serial <port> baud|framing|address|timeout <value>"],
  summary: `show or set serial sensor ports (${SENSOR_PORTS.join(", ")}): baud ${BAUD_RATES.join("/")}, ` +
    "framing like 8N1, address 1..247 (rs485), timeout 50..10000 ms",
  parse(args) {
    if (!args.length) return accepted({ name: "serial-show" });
    const port = parseSensorPort(args[0]);
    if (!port.ok) return port;
    if (args.length === 1) return accepted({ name: "serial-show", port: port.value });
    if (args.length !== 3) return usageError(SERIAL);
    const change = parseSensorPortChange(port.value, args[1], args[2]);
    return change.ok ? accepted({ name: "serial-set", port: port.value, change: change.value }) : change;
  },
};

const TRACE: CommandSpec = {
  word: "trace",
  usage: ["trace", "trace on", "trace off"],
  summary: "show whether the live trace is on, or switch it (operational status only)",
  parse(args) {
    if (!args.length) return accepted({ name: "trace" });
    const word = args[0].toLowerCase();
    if (args.length !== 1 || (word !== "on" && word !== "off")) return usageError(TRACE);
    return accepted({ name: "trace", on: word === "on" });
  },
};

const AT: CommandSpec = {
  word: "at",
  usage: ["at <AT command>", "at list", "at done"],
  summary: "send one allowlisted read/test AT command to the modem (pauses the modem session until at done)",
  parse(args, rest) {
    if (!args.length) return usageError(AT);
    const word = args[0].toLowerCase();
    if (args.length === 1 && word === "list") return accepted({ name: "at-list" });
    if (args.length === 1 && word === "done") return accepted({ name: "at-done" });
    const check = checkAtCommand(rest);
    return check.ok ? accepted({ name: "at", command: check.command }) : rejected(check.error);
  },
};

export const COMMANDS: readonly CommandSpec[] = [
  HELP,
  fixed("status", "logger status: battery, enclosure, modem, network, sampling, uplink", { name: "status" }),
  fixed("diag", "diagnostics: fault counters and subsystem details", { name: "diag" }),
  fixed("version", "firmware and hardware version", { name: "version" }),
  fixed("modem info", "modem identity: model, firmware, IMEI, ICCID", { name: "modem-info" }),
  APN,
  SERIAL,
  fixed("sdi12 scan", "find the SDI-12 sensors on the bus and show their identification", { name: "sdi12-scan" }),
  TRACE,
  AT,
  fixed("reboot", "restart the logger (logged data is kept)", { name: "reboot" }),
];

export function parseCommand(line: string): Parsed<Command> {
  if (/[^\x20-\x7e]/.test(line)) return rejected("only printable ASCII is accepted");
  const words = tokenize(line);
  if (!words.length) return accepted({ name: "empty" });
  const word = words[0].toLowerCase();
  const spec = COMMANDS.find((candidate) => candidate.word === word);
  if (!spec) return rejected(`unknown command ${quote(words[0])}; type help`);
  const rest = line.trim().slice(words[0].length).trim();
  return spec.parse(words.slice(1), rest);
}

/** `help` and `help <command>` text. */
export function helpText(topic?: string): Parsed<string[]> {
  if (topic === undefined) {
    const width = Math.max(...COMMANDS.map((spec) => spec.usage[0].length));
    return accepted([
      ...COMMANDS.map((spec) => `  ${spec.usage[0].padEnd(width)}  ${spec.summary}`),
      "help <command> shows all forms of a command.",
    ]);
  }
  const spec = COMMANDS.find((candidate) => candidate.word === topic);
  if (!spec) return rejected(`no command ${quote(topic)}; type help`);
  return accepted([...spec.usage.map((form) => `  ${form}`), `  ${spec.summary}`]);
}
