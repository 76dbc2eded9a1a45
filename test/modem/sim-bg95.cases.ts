/**
 * The simulated BG95 on its own, driven byte by byte over the board's modem UART and power
 * lines as a board would: power key thresholds, boot URCs, echo, error formats, file upload
 * with the module's checksum, power down and reset.
 */
import type { Platform, SerialIO } from "../../modules/platform/platform.js";
import { DigitalMode } from "../../modules/platform/io.js";
import { SimBoard } from "../../hosts/sim/board.js";
import { SimulatedBg95 } from "../../hosts/sim/modem/bg95-simulator.js";
import { MemoryNetwork } from "../../hosts/sim/modem/memory-network.js";
import type { TestCase } from "../support/cases.js";
import { equal, ok } from "../support/assert.js";

class Bench {
  readonly board = new SimBoard({ seed: 3 });
  readonly modem: SimulatedBg95;
  received = "";
  #port!: SerialIO;
  #platform!: Platform;
  #lines = new Map<number, { write(value: 0 | 1): void }>();

  constructor() {
    this.modem = SimulatedBg95.attach(this.board, new MemoryNetwork(this.board.scheduler));
    this.board.start((platform) => {
      this.#platform = platform;
      const bench = this;
      this.#port = new platform.io.Serial({
        port: "modem", baud: 115200,
        onReadable() { bench.received += String.fromCharCode(...(this.read() ?? [])); },
      });
      for (const pin of [platform.pins.modemPowerKey, platform.pins.modemReset, platform.pins.modemSupply]) {
        this.#lines.set(pin, new platform.io.Digital({ pin, mode: DigitalMode.Output }));
      }
    });
  }

  set(line: "key" | "reset" | "supply", level: 0 | 1): void {
    const pins = this.#platform.pins;
    this.#lines.get(line === "key" ? pins.modemPowerKey : line === "reset" ? pins.modemReset : pins.modemSupply)!.write(level);
  }

  press(line: "key" | "reset", ms: number): void {
    this.set(line, 1);
    this.run(ms);
    this.set(line, 0);
  }

  send(text: string): void {
    this.#port.write(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  }

  /** Sends a command and returns what came back within `ms`. */
  command(text: string, ms = 200): string {
    this.received = "";
    this.send(`${text}\r`);
    this.run(ms);
    return this.received;
  }

  run(ms: number): void {
    this.board.scheduler.runFor(ms);
  }

  boot(): void {
    this.set("supply", 1);
    this.run(100);
    this.press("key", 600);
    this.run(3500);
  }
}

export const cases: TestCase[] = [
  {
    name: "PWRKEY shorter than 500 ms does nothing; 600 ms boots to RDY then APP RDY; echo is on until ATE0",
    run() {
      const bench = new Bench();
      bench.set("supply", 1);
      bench.press("key", 300);
      bench.run(5000);
      equal(bench.modem.power, "off");
      equal(bench.received, "");
      bench.press("key", 600);
      bench.run(2400);
      equal(bench.received, "", "no RDY before the boot time");
      bench.run(600);
      ok(bench.received.indexOf("\r\nRDY\r\n") === 0, JSON.stringify(bench.received));
      bench.run(500);
      ok(bench.received.indexOf("APP RDY") > 0);
      equal(bench.command("AT"), "AT\r\r\nOK\r\n");
      equal(bench.command("ATE0"), "ATE0\r\r\nOK\r\n");
      equal(bench.command("AT"), "\r\nOK\r\n");
    },
  },
  {
    name: "error formats follow AT+CMEE; unknown and concatenated commands are plain ERROR",
    run() {
      const bench = new Bench();
      bench.boot();
      bench.command("ATE0");
      equal(bench.command("AT+QFDEL=\"none.pem\""), "\r\nERROR\r\n");
      bench.command("AT+CMEE=1");
      equal(bench.command("AT+QFDEL=\"none.pem\""), "\r\n+CME ERROR: 405\r\n");
      bench.command("AT+CMEE=2");
      bench.modem.radio.simPresent = false;
      equal(bench.command("AT+CPIN?"), "\r\n+CME ERROR: SIM not inserted\r\n");
      equal(bench.command("AT+NOPE"), "\r\nERROR\r\n");
      equal(bench.command("AT+CSQ;+CREG?"), "\r\nERROR\r\n");
    },
  },
  {
    name: "AT+QFUPL takes the bytes after CONNECT and reports size and XOR checksum",
    run() {
      const bench = new Bench();
      bench.boot();
      bench.command("ATE0");
      equal(bench.command("AT+QFUPL=\"ca.pem\",4,10"), "\r\nCONNECT\r\n");
      bench.received = "";
      bench.send("PEM!");
      bench.run(200);
      equal(bench.received, "\r\n+QFUPL: 4,1d64\r\n\r\nOK\r\n");
      equal(String.fromCharCode(...bench.modem.files.get("ca.pem")!), "PEM!");
      equal(bench.command("AT+QFUPL=\"late.pem\",8,1"), "\r\nCONNECT\r\n");
      bench.send("1234");
      bench.received = "";
      bench.run(1500);
      equal(bench.received, "\r\nERROR\r\n", "upload timed out (CMEE=0)");
    },
  },
  {
    name: "a long PWRKEY press or AT+QPOWD powers down with POWERED DOWN; a supply cut is instant",
    run() {
      const bench = new Bench();
      bench.boot();
      bench.received = "";
      bench.press("key", 800);
      bench.run(2000);
      ok(bench.received.indexOf("POWERED DOWN") >= 0);
      equal(bench.modem.power, "off");
      bench.press("key", 600);
      bench.run(3500);
      equal(bench.modem.power, "on");
      bench.command("ATE0");
      equal(bench.command("AT+QPOWD=1", 2000), "\r\nOK\r\n\r\nPOWERED DOWN\r\n");
      bench.press("key", 600);
      bench.run(3500);
      bench.set("supply", 0);
      equal(bench.modem.power, "off");
      equal(bench.command("AT", 500), "");
    },
  },
  {
    name: "RESET_N restarts the module only when held for 2 s or more",
    run() {
      const bench = new Bench();
      bench.boot();
      const boots = bench.modem.stats.boots;
      bench.press("reset", 1000);
      bench.run(4000);
      equal(bench.modem.stats.boots, boots);
      bench.received = "";
      bench.press("reset", 2500);
      bench.run(4000);
      equal(bench.modem.stats.boots, boots + 1);
      ok(bench.received.indexOf("RDY") >= 0);
    },
  },
];
