/**
 * Seeded random console lines for fuzzing, and an oracle, written independently of the console,
 * that says which of them are valid configuration changes and what they change. Lines are
 * near misses of real commands as often as noise, so the strict parts of the grammar (numbers,
 * ranges, APN labels, AT allowlist) are hit from every side. No Node dependency.
 */
import type { SeededRandom } from "../../../hosts/sim/seeded-random.js";
import type { FakeConfig } from "./fake-services.js";

const WORDS = [
  "status", "diag", "version", "help", "help serial", "help at", "modem info", "apn", "serial", "serial rs485", "serial rs232",
  "sdi12 scan", "trace", "trace on", "trace off", "at list", "at done", "reboot", "format", "set", "get", "config",
];
const PORTS = ["rs485", "rs232", "RS485", "sdi12", "rs422", "rs4850", "", "modem", "console"];
const PARAMS = ["baud", "framing", "address", "timeout", "BAUD", "parity", "speed", "addr", ""];
const NUMBERS = [
  "0", "1", "9", "49", "50", "51", "247", "248", "1200", "2400", "4800", "9600", "9601", "19200", "38400", "57600", "115200",
  "230400", "9999", "10000", "10001", "0x2580", "0X10", "010", "09600", "1e3", "9.6e3", "12abc", "-1", "-0", "+5", "4294967296",
  "99999999999", "1_000", "9600.0", "", " ", "8N1", "7E1", "8n2", "7o1", "8N3", "9N1", "8X1", "N81", "8-N-1",
];
const APN_PARTS = ["internet", "iot", "example", "m2m", "a", "x-y", "-bad", "bad-", "9x", "gprs", "web", "UPPER", "mixed-Case1"];
const AT_COMMANDS = [
  "ATI", "at+csq", "AT+CSQ", "AT+COPS?", "AT+CEREG?", "AT+QNWINFO", "AT+CGPADDR", "AT+QIACT?", 'AT+QFUPL="x",10',
  'AT+QFDWL="key.pem"', "AT+QFOTADL=1", 'AT+QMTPUB=0,0,0,0,"t"', "ATD*99#", "ATO", "+++", 'AT+CSQ;+QFDEL="*"', "A/",
  "ATS3=10", "ATE1", "AT&W", "AT+IPR=9600", "AT+CFUN=1,1", "AT+CEREG=2", 'AT+QSSLCFG="seclevel",1,0', "AT+CSQ AT+CSQ",
];
/** Bytes that must get a line refused wherever they appear (the oracle treats them so). */
const HOSTILE = [0x00, 0x01, 0x07, 0x0b, 0x0c, 0x1a, 0x1b, 0x1c, 0x7f + 1, 0xc3, 0xef, 0xff];
const ENDINGS = ["\r", "\n", "\r\n", "\n\r"];

export class FuzzLines {
  constructor(readonly random: SeededRandom) {}

  /** One line's bytes (Latin-1 text) without its ending; never holds CR, LF, BS, DEL, Ctrl-C, XON or XOFF. */
  line(): string {
    const r = this.random.below(100);
    let text: string;
    if (r < 20) text = `apn set ${this.#apn()}`;
    else if (r < 45) text = `serial ${this.#pick(PORTS)} ${this.#pick(PARAMS)} ${this.#pick(NUMBERS)}`;
    else if (r < 55) text = `at ${this.#pick(AT_COMMANDS)}`;
    else if (r < 65) text = this.#word();
    else if (r < 75) text = this.#printable(this.random.below(140));
    else text = this.#pick([`apn set ${this.#apn()}`, `serial rs485 baud ${this.#pick(NUMBERS)}`, this.#pick(WORDS)]);
    return this.random.below(3) === 0 ? this.#mutate(text) : text;
  }

  /** A command word; reboot is kept rare so the fuzz spends its time on running consoles. */
  #word(): string {
    const word = this.#pick(WORDS);
    return word === "reboot" && this.random.below(20) !== 0 ? "status" : word;
  }

  ending(): string {
    return this.#pick(ENDINGS);
  }

  #apn(): string {
    const labels = 1 + this.random.below(4);
    const parts: string[] = [];
    for (let i = 0; i < labels; i++) parts.push(this.random.below(10) === 0 ? "y".repeat(60 + this.random.below(8)) : this.#pick(APN_PARTS));
    return parts.join(this.random.below(15) === 0 ? ".." : ".");
  }

  #printable(length: number): string {
    let text = "";
    for (let i = 0; i < length; i++) text += String.fromCharCode(0x20 + this.random.below(95));
    return text;
  }

  #mutate(text: string): string {
    const at = this.random.below(text.length + 1);
    switch (this.random.below(7)) {
      case 0: return text.slice(0, at) + String.fromCharCode(this.#pick(HOSTILE)) + text.slice(at);
      case 1: return text.toUpperCase();
      case 2: return text.replace(/ /g, () => this.#pick([" ", "  ", "\t", " \t "]));
      case 3: return `  ${text}\t`;
      case 4: return text.slice(0, at) + text.slice(at + 1);
      case 5: return text.slice(0, at) + this.#printable(1) + text.slice(at);
      default: return `${text} ${this.#pick(NUMBERS)}`;
    }
  }

  #pick<T>(items: readonly T[]): T {
    return items[this.random.below(items.length)];
  }
}

/** The change a line makes to the configuration when it is a valid change command, else undefined. */
export function expectedChange(line: string, config: FakeConfig): FakeConfig | undefined {
  if (/[^\x20-\x7e\t]/.test(line)) return undefined;
  const text = line.replace(/\t/g, " ");
  if (text.length > 128) return undefined;
  const words = text.split(" ").filter((word) => word !== "");
  const lower = words.map((word) => word.toLowerCase());
  const next: FakeConfig = JSON.parse(JSON.stringify(config)) as FakeConfig;
  if (words.length === 3 && lower[0] === "apn" && lower[1] === "set" && isApn(words[2])) {
    next.apn = words[2];
    return next;
  }
  if (words.length !== 4 || lower[0] !== "serial" || (lower[1] !== "rs485" && lower[1] !== "rs232")) return undefined;
  const port = next.ports[lower[1]];
  const value = words[3];
  const number = /^[1-9][0-9]*$/.test(value) && value.length < 10 ? Number(value) : NaN;
  switch (lower[2]) {
    case "baud":
      if (![1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].includes(number)) return undefined;
      port.baud = number;
      return next;
    case "framing": {
      const match = /^([78])([neo])([12])$/i.exec(value);
      if (!match) return undefined;
      port.framing = { dataBits: match[1] === "7" ? 7 : 8, parity: ({ n: "none", e: "even", o: "odd" } as const)[match[2].toLowerCase() as "n"], stopBits: match[3] === "2" ? 2 : 1 };
      return next;
    }
    case "address":
      if (lower[1] !== "rs485" || !(number >= 1 && number <= 247)) return undefined;
      port.address = number;
      return next;
    case "timeout":
      if (!(number >= 50 && number <= 10_000)) return undefined;
      port.timeoutMs = number;
      return next;
    default:
      return undefined;
  }
}

function isApn(text: string): boolean {
  if (text.length > 100 || text.toLowerCase().endsWith(".gprs")) return false;
  return text.split(".").every((label) => label.length >= 1 && label.length <= 63 && /^[A-Za-z0-9]+(-+[A-Za-z0-9]+)*$/.test(label));
}
