/** The console's command language: words, strict numbers, settings, every command form. Node-free (XS too). */
import { COMMANDS, helpText, parseCommand, type Command } from "../../modules/console/commands.js";
import { parseApn, parseFraming, BAUD_RATES } from "../../modules/console/settings.js";
import { parseDecimal, tokenize } from "../../modules/console/tokens.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

function parsed(line: string): Command {
  const result = parseCommand(line);
  if (!result.ok) throw new Error(`"${line}" did not parse: ${result.error}`);
  return result.value;
}

function refusal(line: string): string {
  const result = parseCommand(line);
  if (result.ok) throw new Error(`"${line}" parsed as ${JSON.stringify(result.value)}`);
  return result.error;
}

export const cases: TestCase[] = [
  {
    name: "words split on any run of spaces; leading and trailing spaces are ignored",
    run() {
      deepEqual(tokenize("  serial   rs485  baud 9600 "), ["serial", "rs485", "baud", "9600"]);
      deepEqual(tokenize(""), []);
      deepEqual(parsed("   "), { name: "empty" });
    },
  },
  {
    name: "numbers are plain decimal: no hex, octal, exponent, sign, junk or overflow",
    run() {
      for (const text of ["0x10", "1e3", "12abc", "-0", "-5", "+5", "", "1.0", "1_000", "９", "4294967296", "99999999999", " 5"]) {
        const result = parseDecimal(text, 0, 1_000_000, "value");
        ok(!result.ok, `"${text}" must be refused`);
        ok(!result.ok && /not a number/.test(result.error), `"${text}": ${!result.ok && result.error}`);
      }
      const octal = parseDecimal("010", 0, 100, "value");
      ok(!octal.ok && /leading zeros/.test(octal.error));
      deepEqual(parseDecimal("0", 0, 5, "value"), { ok: true, value: 0 });
      deepEqual(parseDecimal("247", 1, 247, "address"), { ok: true, value: 247 });
      deepEqual(parseDecimal("248", 1, 247, "address"), { ok: false, error: "address 248 is out of range 1..247" });
      deepEqual(parseDecimal("0", 1, 247, "address"), { ok: false, error: "address 0 is out of range 1..247" });
    },
  },
  {
    name: "fixed commands take no arguments; keywords are case-insensitive",
    run() {
      for (const name of ["status", "diag", "version", "reboot"] as const) {
        deepEqual(parsed(name), { name });
        deepEqual(parsed(name.toUpperCase()), { name });
        equal(refusal(`${name} now`), `usage: ${name}`);
      }
    },
  },
  {
    name: "help lists every command; help <command> explains one; unknown topics are errors",
    run() {
      const all = helpText();
      ok(all.ok);
      for (const spec of COMMANDS) ok(all.value.some((line) => line.trim().startsWith(spec.usage[0])), spec.word);
      const serial = helpText("serial");
      ok(serial.ok && serial.value.some((line) => line.includes("baud|framing|address|timeout")));
      deepEqual(helpText("format"), { ok: false, error: 'no command "format"; type help' });
      deepEqual(parsed("HELP Serial"), { name: "help", topic: "serial" });
      equal(refusal("help a b"), "usage: help | help <command>");
    },
  },
  {
    name: "unknown commands and non-ASCII lines are errors",
    run() {
      equal(refusal("format"), 'unknown command "format"; type help');
      equal(refusal("x".repeat(60)), `unknown command "${"x".repeat(32)}..."; type help`);
      equal(refusal("st\u00e4tus"), "only printable ASCII is accepted");
      equal(refusal("reboot\0"), "only printable ASCII is accepted");
    },
  },
  {
    name: "modem info, sdi12 scan and trace forms",
    run() {
      deepEqual(parsed("modem info"), { name: "modem-info" });
      equal(refusal("modem"), "usage: modem info");
      equal(refusal("modem reset"), "usage: modem info");
      deepEqual(parsed("sdi12 scan"), { name: "sdi12-scan" });
      equal(refusal("sdi12 scan 0"), "usage: sdi12 scan");
      deepEqual(parsed("trace"), { name: "trace" });
      deepEqual(parsed("trace ON"), { name: "trace", on: true });
      deepEqual(parsed("trace off"), { name: "trace", on: false });
      equal(refusal("trace 1"), "usage: trace | trace on | trace off");
      equal(refusal("trace on off"), "usage: trace | trace on | trace off");
    },
  },
  {
    name: "apn set validates the APN strictly; the value keeps its case",
    run() {
      deepEqual(parsed("apn"), { name: "apn-show" });
      deepEqual(parsed("APN SET Iot.Example-1.com"), { name: "apn-set", apn: "Iot.Example-1.com" });
      equal(refusal("apn set"), "usage: apn | apn set <apn>");
      equal(refusal("apn set a b"), "usage: apn | apn set <apn>");
      equal(refusal("apn clear"), "usage: apn | apn set <apn>");
      for (const bad of ['foo"', "a,b", "a;b", "a..b", ".a", "a.", "-a", "a-", "a_b", "a/b", "x".repeat(64), "iot.gprs", "a=b"]) {
        ok(/APN/.test(refusal(`apn set ${bad}`)), bad);
      }
      const longest = `${"a".repeat(63)}.${"b".repeat(36)}`;
      deepEqual(parseApn(longest), { ok: true, value: longest });
      ok(!parseApn(`${longest}c`).ok, "101 characters");
    },
  },
  {
    name: "serial shows ports and sets each parameter with exact values",
    run() {
      deepEqual(parsed("serial"), { name: "serial-show" });
      deepEqual(parsed("serial RS485"), { name: "serial-show", port: "rs485" });
      for (const baud of BAUD_RATES) {
        deepEqual(parsed(`serial rs232 baud ${baud}`), { name: "serial-set", port: "rs232", change: { param: "baud", baud } });
      }
      deepEqual(parsed("serial rs485 framing 7e1"), {
        name: "serial-set", port: "rs485", change: { param: "framing", framing: { dataBits: 7, parity: "even", stopBits: 1 } },
      });
      deepEqual(parsed("serial rs485 address 247"), { name: "serial-set", port: "rs485", change: { param: "address", address: 247 } });
      deepEqual(parsed("serial rs232 timeout 50"), { name: "serial-set", port: "rs232", change: { param: "timeout", timeoutMs: 50 } });
      deepEqual(parsed("serial rs232 timeout 10000"), { name: "serial-set", port: "rs232", change: { param: "timeout", timeoutMs: 10000 } });
    },
  },
  {
    name: "serial refuses bad ports, parameters and values with a reason",
    run() {
      equal(refusal("serial rs422"), 'unknown port "rs422"; ports: rs485, rs232');
      ok(/SDI-12 standard/.test(refusal("serial sdi12 baud 9600")));
      equal(refusal("serial rs485 parity even"), 'unknown parameter "parity"; parameters: baud, framing, address, timeout');
      equal(refusal("serial rs485 baud"), "usage: serial | serial <port> | serial <port> baud|framing|address|timeout <value>");
      equal(refusal("serial rs485 baud 9600 8N1"), "usage: serial | serial <port> | serial <port> baud|framing|address|timeout <value>");
      ok(/not one of/.test(refusal("serial rs485 baud 9601")));
      ok(/out of range/.test(refusal("serial rs485 baud 230400")));
      for (const bad of ["0x2580", "09600", "9600.0", "9.6e3", "9600bps", "-9600"]) ok(/not a number/.test(refusal(`serial rs485 baud ${bad}`)), bad);
      for (const bad of ["8N3", "9N1", "8X1", "8n", "8-N-1", "N81"]) ok(/not like 8N1/.test(refusal(`serial rs232 framing ${bad}`)), bad);
      equal(refusal("serial rs232 address 5"), "rs232 is point to point: it has no bus address");
      equal(refusal("serial rs485 address 0"), "address 0 is out of range 1..247");
      equal(refusal("serial rs485 address 248"), "address 248 is out of range 1..247");
      equal(refusal("serial rs485 timeout 49"), "timeout (ms) 49 is out of range 50..10000");
      equal(refusal("serial rs485 timeout 10001"), "timeout (ms) 10001 is out of range 50..10000");
    },
  },
  {
    name: "framing letters: N, E, O in either case; 1 or 2 stop bits",
    run() {
      deepEqual(parseFraming("8O2"), { ok: true, value: { dataBits: 8, parity: "odd", stopBits: 2 } });
      deepEqual(parseFraming("7n1"), { ok: true, value: { dataBits: 7, parity: "none", stopBits: 1 } });
    },
  },
  {
    name: "at: allowlisted commands parse to their canonical spelling; at list and at done",
    run() {
      deepEqual(parsed("at at+csq"), { name: "at", command: "AT+CSQ" });
      deepEqual(parsed("AT   AT+COPS?  "), { name: "at", command: "AT+COPS?" });
      deepEqual(parsed("at list"), { name: "at-list" });
      deepEqual(parsed("at DONE"), { name: "at-done" });
      equal(refusal("at"), "usage: at <AT command> | at list | at done");
      ok(/spaces are not allowed/.test(refusal("at AT+CSQ AT+QFDEL")));
      ok(/chaining/.test(refusal('at AT+CSQ;+QFDEL="*"')));
    },
  },
];
