/**
 * The console end to end on a simulated board, typed at by a simulated terminal: the same code
 * path as on the logger, small enough to run inside XS as well as under mocha.
 */
import { PROMPT } from "../../modules/console/console.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { ConsoleRig, replyLines } from "./rig/console-rig.js";
import { CONFIG_KEY, readConfig } from "./rig/fake-services.js";

export const cases: TestCase[] = [
  {
    name: "status over the console port shows the logger's health and state",
    run() {
      const rig = new ConsoleRig();
      const lines = replyLines(rig.command("status"));
      equal(lines[0], "firmware: 0.1.0 (DL-1)");
      ok(lines.indexOf("battery: 3.650 V") > 0, lines.join("|"));
      ok(/^clock: 2026-01-01T00:00:00\.\d{3}Z \(unset\)$/.test(lines[4]), lines[4]);
      equal(lines[lines.length - 1], "faults: none");
    },
  },
  {
    name: "a valid change is saved and reported; a bad one changes nothing",
    run() {
      const rig = new ConsoleRig();
      deepEqual(replyLines(rig.command("serial rs485 address 32")), ["ok: saved rs485: 9600 8N1 address 32 timeout 1000 ms"]);
      deepEqual(replyLines(rig.command("serial rs485 address 032")), ['error: address "032" is not a number (leading zeros are not allowed)']);
      equal(readConfig(rig.board.storage.read(CONFIG_KEY)).ports.rs485.address, 32);
    },
  },
  {
    name: "hostile bytes are refused and nothing raw is echoed",
    run() {
      const rig = new ConsoleRig();
      const output = rig.command("reboot\0\x1b[2J\xff");
      deepEqual(replyLines(output), ["error: line refused: NUL byte at column 7; nothing done"]);
      ok(!/[\x00\x1b\xff]/.test(output), JSON.stringify(output));
      equal(rig.board.bootCount, 1);
    },
  },
  {
    name: "AT troubleshooting pauses the modem session, refuses the forbidden and resumes on at done",
    run() {
      const rig = new ConsoleRig();
      deepEqual(replyLines(rig.command("at at+csq")).slice(1), ["+CSQ: 18,99", "OK"]);
      ok(/^error: refused: AT\+QF\.\.\. /.test(replyLines(rig.command('at AT+QFDWL="client.key"'))[0]));
      deepEqual(replyLines(rig.command("at done")), ["modem session resumed"]);
      deepEqual(rig.world.modemLog.filter((entry) => !entry.startsWith("firmware")), ["boot", "pause", "console AT+CSQ", "resume"]);
      ok(rig.command("version").endsWith(PROMPT));
    },
  },
];
