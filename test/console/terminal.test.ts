/**
 * The console from real terminals: this process's stdin/stdout adapter, and a pseudo-terminal
 * that a technician's terminal program (picocom, from Debian) attaches to, in real time.
 * `test/console/setup-terminal-tools.sh` installs picocom and socat; without them the pty tests
 * are skipped with a message saying so.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { PROMPT } from "../../modules/console/console.js";
import { exposeConsolePty, type ConsolePty } from "../../hosts/sim/node/console-pty.js";
import { runPaced, type PacedRun } from "../../hosts/sim/node/pacing.js";
import { attachTerminal, QUIT_KEY } from "../../hosts/sim/node/terminal.js";
import { ConsoleRig } from "./rig/console-rig.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer) => { text += chunk.toString("latin1"); });
  return () => text;
}

function installed(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

/** Runs picocom on `device` sending `line`, until it has been idle for two seconds; returns what it showed. */
function picocom(device: string, line: string): Promise<string> {
  const child = spawn("picocom", ["-q", "-b", "115200", "--initstring", `${line}\r`, "--exit-after", "2000", device], { stdio: ["ignore", "pipe", "pipe"] });
  let screen = "";
  child.stdout.on("data", (chunk: Buffer) => { screen += chunk.toString("latin1"); });
  child.stderr.on("data", (chunk: Buffer) => { screen += chunk.toString("latin1"); });
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => { child.kill(); reject(new Error(`picocom hung; it showed ${JSON.stringify(screen)}`)); }, 15_000);
    child.on("close", (code) => {
      clearTimeout(guard);
      if (code === 0) resolve(screen);
      else reject(new Error(`picocom exited ${code}: ${screen}`));
    });
  });
}

describe("console on real terminals", function () {
  this.timeout(30_000);

  it("attachTerminal: piped stdin reaches the console and its output reaches stdout; end of input quits", async () => {
    const rig = new ConsoleRig();
    const input = new PassThrough();
    const output = new PassThrough();
    const screen = collect(output);
    const quits: string[] = [];
    const attached = attachTerminal(rig.board, input, output, { onQuit: (why) => quits.push(why) });
    assert.equal(attached.raw, false);
    input.write("version\r");
    await tick();
    rig.run(200);
    await tick();
    assert.equal(screen(), `version\r\nfirmware: 0.1.0\r\nhardware: DL-1\r\n${PROMPT}`);
    input.end();
    await tick();
    assert.deepEqual(quits, ["end"]);
    attached.detach();
  });

  it("attachTerminal: an interactive terminal goes raw, Ctrl-] quits, detach restores it", async () => {
    const rig = new ConsoleRig();
    const modes: boolean[] = [];
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => modes.push(raw) });
    const output = new PassThrough();
    const screen = collect(output);
    const quits: string[] = [];
    const attached = attachTerminal(rig.board, input, output, { onQuit: (why) => quits.push(why) });
    assert.ok(attached.raw);
    assert.deepEqual(modes, [true]);
    input.write(Buffer.from([...Buffer.from("ver\x03version\r"), QUIT_KEY, ...Buffer.from("reboot\r")]));
    await tick();
    rig.run(500);
    await tick();
    assert.equal(screen(), `ver^C\r\n${PROMPT}version\r\nfirmware: 0.1.0\r\nhardware: DL-1\r\n${PROMPT}`);
    assert.deepEqual(quits, ["quit-key"]);
    assert.equal(rig.board.bootCount, 1, "nothing after Ctrl-] reached the console");
    attached.detach();
    assert.deepEqual(modes, [true, false]);
  });

  it("exposeConsolePty explains a missing socat", async () => {
    const rig = new ConsoleRig();
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await assert.rejects(exposeConsolePty(rig.board), /socat not found: install it/);
    } finally {
      process.env.PATH = path;
    }
  });

  describe("pseudo-terminal with picocom", function () {
    // socat sometimes ends with the first picocom on a loaded machine (a hang-up race on the pty's
    // master side); a second try tells that race from a pty that never comes back.
    this.retries(2);
    let rig: ConsoleRig;
    let pty: ConsolePty | undefined;
    let run: PacedRun | undefined;
    let directory: string;

    before(function () {
      const missing = ["picocom", "socat"].filter((tool) => !installed(tool));
      if (missing.length) {
        console.log(`    skipped: ${missing.join(" and ")} not installed (run test/console/setup-terminal-tools.sh as root)`);
        this.skip();
      }
    });

    beforeEach(async () => {
      directory = mkdtempSync(join(tmpdir(), "console-pty-"));
      rig = new ConsoleRig();
      pty = await exposeConsolePty(rig.board, { link: join(directory, "ttyLOGGER") });
      run = runPaced(rig.board.scheduler, 1);
    });

    afterEach(async () => {
      run?.stop();
      await run?.done;
      await pty?.close();
      rmSync(directory, { recursive: true, force: true });
    });

    it("picocom attaches to the pty like to a USB serial port and runs status", async () => {
      assert.equal(pty!.path, join(directory, "ttyLOGGER"));
      const screen = await picocom(pty!.path, "status");
      const lines = screen.split("\r\n");
      assert.equal(lines[0], "status");
      for (const field of ["firmware: 0.1.0 (DL-1)", "battery: 3.650 V", "apn: internet.example", "faults: none"]) {
        assert.ok(lines.includes(field), `picocom showed ${JSON.stringify(screen)}`);
      }
      assert.ok(screen.endsWith(PROMPT));
    });

    it("the pty outlives a terminal program: a second picocom session works, and a change persists", async () => {
      assert.match(await picocom(pty!.path, "apn set field.example"), /ok: apn field\.example saved \(was internet\.example\)/);
      assert.match(await picocom(pty!.path, "apn"), /apn: field\.example/);
    });
  });
});
