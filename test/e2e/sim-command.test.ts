/**
 * `datalogger sim` as a newcomer runs it: the example logger on the embedded TLS broker lands data
 * within its first simulated minute (paced at 10x here; `npm start` is the same at 1x), and a
 * simulated week at full speed ends with a summary (`--for 30d` is the same, four times longer). Output goes through console.log, captured.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simCommand } from "../../hosts/sim/node/sim-command.js";

async function sim(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(...String(line).split("\n"));
  try {
    return { code: await simCommand(args), lines };
  } finally {
    console.log = log;
  }
}

function csvRows(dir: string): number {
  const device = join(dir, "csv", "1001");
  if (!existsSync(device)) return 0;
  return readdirSync(device).reduce((rows, file) => rows + readFileSync(join(device, file), "utf8").trimEnd().split("\n").length - 1, 0);
}

describe("datalogger sim", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "sim-")); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lands the example logger's data over the embedded TLS broker within the first simulated minute", async () => {
    const { code, lines } = await sim(["--for", "60s", "--speed", "10", "--data-dir", dir]);
    assert.equal(code, 0);
    assert.match(lines[0], /embedded mqtt server on localhost:\d+ \(TLS 1\.2/);
    assert.ok(lines.some((line) => /uplink ok: [1-9]\d* records/.test(line)), lines.join("\n"));
    assert.ok(csvRows(dir) > 0, "CSV rows landed");
    assert.ok(existsSync(join(dir, "pki", "ca.pem")) && existsSync(join(dir, "device.json")), "the CA and the device account made on first run");
  });

  it("runs a span at full speed and prints the summary: all logged samples landed", async () => {
    const { code, lines } = await sim(["--for", "7d", "--speed", "max", "--seed", "4", "--data-dir", dir, "--quiet"]);
    assert.equal(code, 0);
    assert.match(lines[0], /^simulated 7\.00 days in [\d.]+ s/);
    const [, logged, landed] = /^samples: (\d+) logged, (\d+) landed, 0 gaps/.exec(lines[1]) ?? [];
    assert.ok(Number(logged) > 5000 && Number(landed) >= Number(logged) - 40, lines[1]);
    assert.match(lines[2], /^uplink: \d+ sessions \(0 failed\), \d+ packets, \d+ bytes and \d+ modem-on seconds per day$/);
    assert.equal(csvRows(dir), Number(landed));
  });
});
