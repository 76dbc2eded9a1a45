/**
 * Every console command, driven through the simulated console port by a simulated terminal,
 * with behaving fakes behind the console.
 */
import assert from "node:assert/strict";
import { DEADLINES_MS, PROMPT } from "../../modules/console/console.js";
import { HEALTH_TRACE_MS } from "../../modules/console/live-trace.js";
import { AT_ALLOWLIST } from "../../modules/console/at-allowlist.js";
import { IDLE_RELEASE_MS } from "../../modules/console/modem-session.js";
import { ConsoleRig, replyLines, THINK_MS } from "./rig/console-rig.js";
import { CONFIG_KEY, defaultConfig, readConfig } from "./rig/fake-services.js";

function reply(rig: ConsoleRig, line: string): string[] {
  return replyLines(rig.command(line));
}

function storedConfig(rig: ConsoleRig) {
  return readConfig(rig.board.storage.read(CONFIG_KEY));
}

describe("console commands", () => {
  it("greets on the console port at boot; an empty line just prompts again", () => {
    const rig = new ConsoleRig();
    assert.equal(rig.greeting, `datalogger console, firmware 0.1.0; type help\r\n${PROMPT}`);
    assert.equal(rig.command(""), `\r\n${PROMPT}`);
    assert.equal(rig.command("   "), `   \r\n${PROMPT}`);
  });

  it("help lists every command; help <command> shows its forms; help of nothing is an error", () => {
    const rig = new ConsoleRig();
    const help = reply(rig, "help");
    for (const word of ["help", "status", "diag", "version", "modem info", "apn", "serial", "sdi12 scan", "trace", "at <AT command>", "reboot"]) {
      assert.ok(help.some((line) => line.trimStart().startsWith(word)), `help lists ${word}`);
    }
    assert.deepEqual(reply(rig, "help apn"), ["  apn", "  apn set <apn>", "  show or set the cellular access point name"]);
    assert.deepEqual(reply(rig, "help flash"), ['error: no command "flash"; type help']);
  });

  it("status shows health, clock, modem, network, APN, sampling, uplink and faults, and no secrets", () => {
    const rig = new ConsoleRig();
    rig.world.counters.increment("modem.timeouts", 2);
    rig.run(5000);
    const status = reply(rig, "status");
    const fields = new Map(status.map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
    assert.deepEqual([...fields.keys()], ["firmware", "uptime", "battery", "enclosure", "clock", "modem", "network", "apn", "sampling", "uplink", "faults"]);
    assert.equal(fields.get("battery"), "3.650 V");
    assert.match(fields.get("enclosure")!, /^\d+\.\d %RH, \d+\.\d C$/);
    assert.match(fields.get("uptime")!, /^5 s \(reset: power-on\)$/);
    assert.equal(fields.get("network"), 'home LTE-M "Example Net" rssi=-77dBm');
    assert.equal(fields.get("apn"), "internet.example");
    assert.match(fields.get("sampling")!, /^4 channels every 1 s, tick [56]$/);
    assert.equal(fields.get("faults"), "modem.timeouts=2");
  });

  it("diag shows the console's own counters, every fault counter and the subsystems' details", () => {
    const rig = new ConsoleRig();
    rig.world.counters.increment("sdi12.no_answer");
    reply(rig, "bogus");
    const diag = reply(rig, "diag");
    assert.ok(diag.includes("reset: power-on"));
    assert.ok(diag.includes("console refused: 1"));
    assert.ok(diag.includes("modem session: released"));
    assert.ok(diag.includes("counter sdi12.no_answer: 1"));
    assert.ok(diag.includes("log used: 12%"));
  });

  it("version shows firmware and hardware", () => {
    const rig = new ConsoleRig();
    assert.deepEqual(reply(rig, "version"), ["firmware: 0.1.0", "hardware: DL-1"]);
  });

  it("modem info shows the modem's identity, or why it cannot", () => {
    const rig = new ConsoleRig();
    assert.deepEqual(reply(rig, "modem info"), [
      "modem: Quectel BG95-M3", "modem firmware: BG95M3LAR02A03", "imei: 861234567890123", "iccid: 8949000000000000001",
    ]);
    rig.world.modemAvailable = false;
    assert.deepEqual(reply(rig, "modem info"), ["error: modem is powered off"]);
  });

  it("apn set validates, persists across a reboot and reports; a bad or refused value changes nothing", () => {
    const rig = new ConsoleRig();
    assert.deepEqual(reply(rig, "apn"), ["apn: internet.example"]);
    assert.deepEqual(reply(rig, "apn set iot.example-2.net"), ["ok: apn iot.example-2.net saved (was internet.example)"]);
    assert.equal(storedConfig(rig).apn, "iot.example-2.net");
    for (const bad of ['apn set foo"', "apn set a,b", "apn set a;b", "apn set", "apn set a b", "apn set x.gprs"]) {
      assert.match(reply(rig, bad)[0], /^error: /, bad);
    }
    rig.world.refusedApn = "blocked.example";
    assert.deepEqual(reply(rig, "apn set blocked.example"), ["error: apn not changed: rejected by the network profile"]);
    assert.equal(storedConfig(rig).apn, "iot.example-2.net");
    reply(rig, "reboot");
    rig.run(1000);
    assert.deepEqual(reply(rig, "apn"), ["apn: iot.example-2.net"]);
  });

  it("a CR/LF smuggling attempt in an APN runs neither half", () => {
    const rig = new ConsoleRig();
    rig.terminal.type('apn set foo"\r\nAT+QFDEL="*\r\n');
    const output = rig.until((text) => text.split(PROMPT).length > 2, 2000);
    assert.match(output, /error: APN "foo"" is not valid/);
    assert.match(output, /error: unknown command "AT\+QFDEL="\*"/);
    assert.deepEqual(storedConfig(rig), defaultConfig());
    assert.ok(!rig.world.modemLog.some((entry) => entry.startsWith("console")));
  });

  it("serial shows and sets each parameter of each port, and reports the stored result", () => {
    const rig = new ConsoleRig();
    assert.deepEqual(reply(rig, "serial"), ["rs485: 9600 8N1 address 1 timeout 1000 ms", "rs232: 9600 8N1 timeout 1000 ms"]);
    assert.deepEqual(reply(rig, "serial rs485 baud 19200"), ["ok: saved rs485: 19200 8N1 address 1 timeout 1000 ms"]);
    assert.deepEqual(reply(rig, "serial rs485 framing 8e1"), ["ok: saved rs485: 19200 8E1 address 1 timeout 1000 ms"]);
    assert.deepEqual(reply(rig, "serial rs485 address 17"), ["ok: saved rs485: 19200 8E1 address 17 timeout 1000 ms"]);
    assert.deepEqual(reply(rig, "serial rs485 timeout 250"), ["ok: saved rs485: 19200 8E1 address 17 timeout 250 ms"]);
    assert.deepEqual(reply(rig, "serial RS232 BAUD 1200"), ["ok: saved rs232: 1200 8N1 timeout 1000 ms"]);
    assert.deepEqual(reply(rig, "serial rs232 framing 7O2"), ["ok: saved rs232: 1200 7O2 timeout 1000 ms"]);
    assert.deepEqual(reply(rig, "serial rs232 timeout 10000"), ["ok: saved rs232: 1200 7O2 timeout 10000 ms"]);
    assert.deepEqual(reply(rig, "serial rs232"), ["rs232: 1200 7O2 timeout 10000 ms"]);
    const stored = storedConfig(rig);
    assert.deepEqual(stored.ports.rs485, { baud: 19200, framing: { dataBits: 8, parity: "even", stopBits: 1 }, address: 17, timeoutMs: 250 });
    assert.deepEqual(stored.ports.rs232, { baud: 1200, framing: { dataBits: 7, parity: "odd", stopBits: 2 }, timeoutMs: 10000 });
  });

  it("every bad serial value is refused with a reason and changes nothing", () => {
    const rig = new ConsoleRig();
    const bad = [
      "serial rs485 baud 0x2580", "serial rs485 baud 09600", "serial rs485 baud 1e3", "serial rs485 baud 9600abc",
      "serial rs485 baud 9601", "serial rs485 baud 4294967296", "serial rs485 baud -9600", "serial rs485 framing 8N3",
      "serial rs485 address 0", "serial rs485 address 248", "serial rs232 address 1", "serial rs485 timeout 49",
      "serial rs485 timeout 10001", "serial rs422 baud 9600", "serial sdi12 baud 1200", "serial rs485 parity even",
      "serial rs485 baud", "serial rs485 baud 9600 9600",
    ];
    for (const line of bad) {
      const lines = reply(rig, line);
      assert.equal(lines.length, 1, line);
      assert.match(lines[0], /^error: /, line);
    }
    assert.equal(rig.board.storage.read(CONFIG_KEY), undefined, "nothing was ever written");
  });

  it("sdi12 scan lists the sensors that answered; a line typed meanwhile runs after it", () => {
    const rig = new ConsoleRig();
    rig.terminal.type("sdi12 scan\r");
    rig.run(200);
    assert.equal(rig.terminal.take(), "sdi12 scan\r\n");
    rig.terminal.type("apn set later.example\r");
    rig.run(100);
    assert.equal(rig.terminal.take(), "apn set later.example\r\n", "only the echo while the scan runs");
    assert.equal(storedConfig(rig).apn, "internet.example", "the typed-ahead line waits");
    const output = rig.until((text) => text.split(PROMPT).length > 2, 3000);
    assert.deepEqual(output.split("\r\n"), [
      "sdi12: 2 sensors", "  0: 13METER   ATM41 100 SN12345", "  3: 14CAMPBELLCS655  01 SN778",
      `${PROMPT}ok: apn later.example saved (was internet.example)`, PROMPT,
    ]);
    rig.world.sdi12Sensors = [];
    rig.run(THINK_MS);
    assert.deepEqual(reply(rig, "sdi12 scan"), ["sdi12: no sensors answered"]);
  });

  it("a command whose subsystem never answers times out; Ctrl-C abandons one", () => {
    const rig = new ConsoleRig();
    rig.world.modemMute = true;
    const output = rig.command("at AT+CSQ", DEADLINES_MS.at + 1000);
    assert.match(output, /error: at timed out after 45 s/);
    rig.world.sdi12DelayMs = 60_000;
    rig.terminal.type("sdi12 scan\r");
    rig.run(500);
    rig.terminal.take();
    rig.terminal.type("\x03");
    rig.run(100);
    assert.equal(rig.terminal.take(), `^C\r\nsdi12 scan abandoned\r\n${PROMPT}`);
    rig.run(THINK_MS);
    assert.deepEqual(reply(rig, "version"), ["firmware: 0.1.0", "hardware: DL-1"], "the console is free again");
    rig.run(60_000);
    assert.equal(rig.terminal.take(), "", "the late answer is not printed");
  });

  it("reboot says so, restarts the logger and greets again; configuration survives", () => {
    const rig = new ConsoleRig();
    reply(rig, "apn set kept.example");
    const bootsBefore = rig.board.bootCount;
    const output = rig.command("reboot");
    assert.match(output, /^reboot\r\nrebooting\r\ndatalogger console, firmware 0\.1\.0; type help\r\n/);
    assert.equal(rig.board.bootCount, bootsBefore + 1);
    assert.equal(rig.world.reboots, 1);
    assert.equal(rig.board.crashes.length, 0);
    assert.deepEqual(reply(rig, "apn"), ["apn: kept.example"]);
  });

  it("trace on shows health, sampling ticks, fault counter changes and subsystem events; trace off stops it", () => {
    const rig = new ConsoleRig();
    assert.deepEqual(reply(rig, "trace"), ["trace: off"]);
    rig.run(3000);
    assert.equal(rig.terminal.take(), "", "no trace while off");
    const on = rig.command("trace on");
    assert.match(on, /trace: on/);
    rig.world.counters.increment("modem.timeouts");
    rig.console.emit({ kind: "network", registration: "roaming", rssiDbm: -95, operator: "Other", accessTechnology: "NB-IoT" });
    rig.console.emit({ kind: "transmission", ok: false, records: 12, detail: "broker refused password=hunter2" });
    rig.console.emit({ kind: "modem", state: "recovering" });
    rig.run(HEALTH_TRACE_MS + 100);
    const trace = (on + rig.terminal.take()).split(/\r\n|\r/).map((line) => line.trim()).filter(Boolean);
    assert.ok(trace.some((line) => /^health up=\d+s bat=3\.650V rh=\d+\.\d% t=\d+\.\dC time=unset$/.test(line)), "health");
    assert.ok(trace.some((line) => /^sampling tick=\d+ channels=4 faults=0$/.test(line)), "sampling ticks");
    assert.ok(trace.includes("network reg=roaming rssi=-95dBm op=Other rat=NB-IoT"));
    assert.ok(trace.includes("uplink failed records=12 broker refused password=***"), "redacted");
    assert.ok(trace.includes("modem state=recovering"));
    assert.ok(trace.includes("fault modem.timeouts=1"));
    assert.ok(!trace.some((line) => line.includes("hunter2")));
    assert.deepEqual(reply(rig, "trace off").filter((line) => !line.includes("tick")), ["trace: off"]);
    rig.run(HEALTH_TRACE_MS * 2);
    assert.equal(rig.terminal.take(), "", "trace off is silent");
  });

  it("a trace line does not lose the line being typed: it is redrawn after the prompt", () => {
    const rig = new ConsoleRig();
    reply(rig, "trace on");
    rig.run(2000);
    rig.terminal.take();
    rig.terminal.type("vers");
    rig.run(1000);
    const screen = rig.terminal.take();
    assert.match(screen, /vers\r\nsampling tick=\d+ channels=4 faults=0\r\ndl> vers$/);
    rig.terminal.type("ion\r");
    const output = rig.until((text) => text.includes("hardware: DL-1"), 500);
    assert.match(output, /^ion\r\nfirmware: 0\.1\.0\r\nhardware: DL-1\r\n/);
  });

  it("at sends allowlisted commands with the modem session paused, and resumes it on at done", () => {
    const rig = new ConsoleRig();
    rig.run(12_000);
    assert.deepEqual(reply(rig, "at ATI"), [
      "modem session paused for troubleshooting; at done resumes it (or 120 s idle)", "Quectel", "BG95-M3", "Revision: BG95M3LAR02A03", "OK",
    ]);
    assert.deepEqual(reply(rig, "at at+csq"), ["+CSQ: 18,99", "OK"]);
    rig.run(11_000);
    assert.deepEqual(reply(rig, "at AT+CEREG?"), ["+CEREG: 0,1", "OK"]);
    assert.deepEqual(reply(rig, "at done"), ["modem session resumed"]);
    assert.deepEqual(reply(rig, "at done"), ["modem session was not paused"]);
    rig.run(5000);
    const log = rig.world.modemLog;
    assert.deepEqual(log.slice(log.indexOf("pause"), log.indexOf("resume") + 2),
      ["pause", "console ATI", "console AT+CSQ", "console AT+CEREG?", "resume", "firmware AT+CSQ"], "the firmware polls only while it owns the modem");
    assert.deepEqual(log.slice(0, log.indexOf("pause")), ["boot", "firmware AT+CSQ", "firmware AT+CSQ"], "the firmware polled before the pause");
  });

  it("the modem session resumes by itself after the idle timeout", () => {
    const rig = new ConsoleRig();
    reply(rig, "at AT+CSQ");
    rig.run(IDLE_RELEASE_MS - 1000);
    assert.ok(!rig.world.modemLog.includes("resume"));
    rig.run(2000);
    assert.equal(rig.world.modemLog.filter((entry) => entry === "resume").length, 1);
    assert.match(rig.terminal.take(), /modem session resumed/);
  });

  it("a modem that cannot be paused is reported and left alone", () => {
    const rig = new ConsoleRig();
    rig.world.modemAvailable = false;
    assert.deepEqual(reply(rig, "at AT+CSQ"), ["error: modem not available: modem is powered off"]);
    assert.ok(!rig.world.modemLog.some((entry) => entry.startsWith("console")));
  });

  it("every refused AT command is reported and never reaches the modem, nor pauses it", () => {
    const rig = new ConsoleRig();
    const refused = [
      'AT+QFUPL="cacert.pem",1200', 'AT+QFDWL="client.key"', 'AT+QFOTADL="http://x/u.zip"', 'AT+QMTPUB=0,0,0,0,"t"',
      'AT+QHTTPPOST=10', 'AT+QIOPEN=1,0,"TCP","1.2.3.4",80', 'AT+QSSLCFG="seclevel",1,0', "ATD*99#", "ATO", "+++",
      'AT+CSQ;+QFDEL="*"', "A/", "ATS3=10", "AT+IPR=9600", "AT+CEREG=2", "AT+CSQ AT+CSQ", "hello",
    ];
    for (const command of refused) {
      const lines = reply(rig, `at ${command}`);
      assert.equal(lines.length, 1, command);
      assert.match(lines[0], /^error: refused: .*\(at list shows what is allowed\)$/, command);
    }
    assert.deepEqual(rig.world.modemLog.filter((entry) => !entry.startsWith("firmware")), ["boot"]);
  });

  it("there is no command for firmware, logged data, uploads or secrets", () => {
    const rig = new ConsoleRig();
    for (const line of ["update", "firmware", "flash write 0 00", "upload", "download", "log", "log read", "log erase", "dump",
      "send", "format", "erase", "factory-reset", "config", "password", "key", "pair", "mqtt", "tls", "cert"]) {
      assert.match(reply(rig, line)[0], /^error: unknown command ".+"; type help$/, line);
    }
    assert.equal(rig.services.modem.paused, false);
    assert.deepEqual(rig.world.modemLog.filter((entry) => !entry.startsWith("firmware")), ["boot"]);
  });

  it("at list shows the whole allowlist", () => {
    const rig = new ConsoleRig();
    const listed = reply(rig, "at list").flatMap((line) => line.trim().split(/\s+/));
    assert.deepEqual(listed, [...AT_ALLOWLIST]);
  });

  it("modem answers are redacted and cannot inject terminal escape sequences", () => {
    const rig = new ConsoleRig();
    rig.world.atReplies.set("AT+CGDCONT?", { lines: ['+CGDCONT: 1,"IP","iot.example"', '+QICSGP: 1,"iot.example","user","pa55",1', "\x1b[2J\x1b]0;pwned\x07"], final: "OK" });
    const output = rig.command("at AT+CGDCONT?");
    assert.ok(!output.includes("pa55"));
    assert.ok(!output.includes("\x1b"), "no raw ESC reaches the terminal");
    assert.ok(!output.includes("\x07"));
    assert.match(output, /\+QICSGP: 1,"iot.example","user","\*\*\*",1/);
    assert.match(output, /\\x1b\[2J\\x1b\]0;pwned\\x07/);
  });
});
