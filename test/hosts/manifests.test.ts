/**
 * The Moddable manifests, checked without the SDK: mcconfig only warns about a module path that
 * matches nothing and still builds, and a module the firmware imports but the manifest does not
 * list fails only on the board. So: every local path exists, every module specifier mirrors its
 * file's path (XS resolves relative imports against specifiers), every firmware folder is
 * mapped, and everything each entry point imports, through node_modules too, is in the build.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { LOG_PARTITION, OTA_JOURNAL_PARTITION } from "../../hosts/esp32/board.js";
import { parseImageIdentity } from "../../hosts/moddable/image-identity.js";
import { FIRMWARE_VERSION } from "../../modules/version.js";

type ModuleMap = Record<string, string | string[]>;
interface Manifest {
  include?: string | string[];
  modules?: ModuleMap;
  creation?: { main?: string };
  ffi?: { sources?: string[] };
  build?: Record<string, string>;
  ble?: Record<string, string[]>;
  platforms?: Record<string, Manifest>;
}

const ROOT = process.cwd();
const load = (path: string): Manifest => JSON.parse(readFileSync(path, "utf8")) as Manifest;
const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const local = (manifestPath: string, source: string): string | undefined =>
  source.startsWith("$(") ? undefined : normalize(join(dirname(manifestPath), source));

/** SDK modules the hosts import; they come from the SDK manifests the host manifests include. */
const SDK_MODULES = new Set([
  "flash", "time", "timer", "bleserver", "gap", "gatt", "text/encoder", "text/decoder",
  "embedded:storage/key-value", "mc/ffi", "mc/config", "sleep",
]);
/** Specifiers mapped to SDK type declarations rather than to a file of this repository's tree. */
const DECLARATION_SPECIFIERS = new Set(["sleep"]);

/** A manifest and the manifests it includes for `platform`, local ones only, in mcconfig's order. */
function combined(path: string, platform: string): Array<{ path: string; manifest: Manifest }> {
  const manifest = load(path);
  const includes = [...list(manifest.include), ...list(manifest.platforms?.[platform]?.include)];
  const out: Array<{ path: string; manifest: Manifest }> = [];
  for (const include of includes) {
    const file = local(path, include);
    if (file) out.push(...combined(file, platform));
  }
  out.push({ path, manifest });
  return out;
}

/** specifier -> repository files, over a combined manifest set. */
function moduleTable(manifests: Array<{ path: string; manifest: Manifest }>, platform: string): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const { path, manifest } of manifests) {
    const maps = [manifest.modules, manifest.platforms?.[platform]?.modules];
    for (const map of maps) {
      for (const [key, value] of Object.entries(map ?? {})) {
        for (const source of list(value)) {
          const file = local(path, source);
          if (file) table.set(key, [...(table.get(key) ?? []), file]);
        }
      }
    }
  }
  return table;
}

function sourceFilesOf(base: string): string[] {
  return ["", ".ts", ".js", ".d.ts", ".json"].map((ext) => base + ext).filter((f) => existsSync(f) && statSync(f).isFile());
}

function specifierOf(file: string, table: Map<string, string[]>): string | undefined {
  const stem = file.replace(/\.(d\.ts|ts|js)$/, "");
  for (const [key, sources] of table) {
    for (const source of sources) {
      if (source.endsWith("*") && dirname(stem) === normalize(source.slice(0, -2))) return key.slice(0, -1) + stem.slice(dirname(stem).length + 1);
      if (!source.endsWith("*") && normalize(source) === stem) return key;
    }
  }
  return undefined;
}

/** Static imports (not `import type`) of a source file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) found.push(m[1]);
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith(".")) {
    const target = normalize(join(dirname(from), specifier)).replace(/\.js$/, "");
    return sourceFilesOf(target).find((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")) ?? sourceFilesOf(target).find((f) => f.endsWith(".js"));
  }
  if (specifier.startsWith("@noble/")) return join("node_modules", specifier.endsWith(".js") ? specifier : `${specifier}.js`);
  return undefined;
}

function firmwareFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return firmwareFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every repository file reachable from `entries` by static imports, and the bare SDK specifiers met. */
function closure(entries: string[]): { files: Set<string>; sdk: Set<string> } {
  const files = new Set<string>();
  const sdk = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importsOf(file)) {
      const target = resolveImport(file, specifier);
      if (target) queue.push(target);
      else sdk.add(specifier);
    }
  }
  return { files, sdk };
}

const BUILDS = [
  { name: "logger", manifest: "manifest.json", platforms: ["esp32", "nrf52"] },
  { name: "hardware self-test", manifest: "test/hw/manifest.json", platforms: ["esp32", "nrf52"] },
];

describe("Moddable manifests", () => {
  const allManifests = ["manifest.json", "hosts/moddable/manifest.json", "hosts/esp32/manifest.json", "hosts/nrf52/manifest.json", "test/hw/manifest.json"];

  it("parse as JSON, and every local module, FFI source and build file exists", () => {
    const missing: string[] = [];
    for (const path of allManifests) {
      const manifest = load(path);
      const sections = [manifest, ...Object.values(manifest.platforms ?? {})];
      for (const section of sections) {
        for (const value of Object.values(section.modules ?? {})) {
          for (const source of list(value)) {
            const file = local(path, source);
            if (!file) continue;
            const ok = file.endsWith("*")
              ? existsSync(dirname(file)) && readdirSync(dirname(file)).some((f) => /\.(ts|js)$/.test(f))
              : sourceFilesOf(file).length > 0;
            if (!ok) missing.push(`${path}: ${source}`);
          }
        }
        for (const source of [...(section.ffi?.sources ?? []), ...Object.values(section.build ?? {}).filter((v) => v.startsWith("./"))]) {
          const file = local(path, source);
          if (file && !existsSync(file)) missing.push(`${path}: ${source}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it("name every repository module by its path, so that XS resolves relative imports", () => {
    const wrong: string[] = [];
    for (const path of allManifests) {
      const manifest = load(path);
      for (const section of [manifest, ...Object.values(manifest.platforms ?? {})]) {
        for (const [key, value] of Object.entries(section.modules ?? {})) {
          if (key.startsWith("@noble/") || DECLARATION_SPECIFIERS.has(key)) continue;
          for (const source of list(value)) {
            const file = local(path, source);
            if (file && relative(ROOT, file) !== key) wrong.push(`${path}: "${key}" -> ${source}`);
          }
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("map every firmware folder under modules/ and drivers/ (mcconfig wildcards do not recurse)", () => {
    const table = moduleTable(combined("manifest.json", "esp32"), "esp32");
    const folders: string[] = [];
    const walk = (dir: string) => {
      const entries = readdirSync(dir, { withFileTypes: true });
      if (entries.some((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))) folders.push(dir);
      for (const e of entries) if (e.isDirectory()) walk(join(dir, e.name));
    };
    walk("modules");
    walk("drivers");
    const unmapped = folders.filter((dir) => !table.has(`${dir}/*`)).map((dir) => `"${dir}/*": "./${dir}/*"`);
    assert.deepEqual(unmapped, [], "add these lines to manifest.json's modules");
  });

  for (const build of BUILDS) {
    for (const platform of build.platforms) {
      it(`${build.name} on ${platform}: everything its entry point and the firmware folders import is in the build`, () => {
        const manifests = combined(build.manifest, platform);
        const table = moduleTable(manifests, platform);
        let main: string | undefined;
        for (const { manifest } of manifests) main = manifest.platforms?.[platform]?.creation?.main ?? manifest.creation?.main ?? main;
        assert.ok(main && table.has(main), `creation.main "${main}" is not a mapped module`);
        const entry = sourceFilesOf(table.get(main)![0])[0];
        // Every firmware module is built (whole folders are mapped), so its imports must resolve too.
        const { files, sdk } = closure([entry, ...firmwareFiles("modules"), ...firmwareFiles("drivers")]);
        const unmapped = [...files].filter((file) => !specifierOf(file, table)).map((file) => relative(ROOT, file));
        assert.deepEqual(unmapped, [], "imported but not listed in the manifests");
        assert.deepEqual([...sdk].filter((s) => !SDK_MODULES.has(s)), [], "bare imports no manifest provides");
      });
    }
  }

  it("list the BLE service JSON from modules/ble/bleservices", () => {
    const ble = load("manifest.json").ble?.["*"] ?? [];
    assert.deepEqual(ble, ["./modules/ble/bleservices/*"]);
    assert.ok(readdirSync("modules/ble/bleservices").some((f) => f.endsWith(".json")), "a service JSON");
  });
});

describe("ESP32 partition table", () => {
  const rows = readFileSync("hosts/esp32/partitions.csv", "utf8").split("\n")
    .map((line) => line.trim()).filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [name, type, subtype, offset, size] = line.split(",").map((f) => f.trim());
      return { name, type, subtype, offset: Number(offset), size: Number(size) };
    });

  it("has the partitions the firmware and the bootloader need, aligned and without overlap, within 8 MB", () => {
    assert.deepEqual(rows.map((r) => r.name), ["nvs", "otadata", "phy_init", OTA_JOURNAL_PARTITION, "ota_0", "ota_1", LOG_PARTITION, "storage"]);
    let end = 0x9000;
    for (const row of rows) {
      assert.ok(row.offset >= end, `${row.name} overlaps the partition before it`);
      assert.equal(row.offset % (row.type === "app" ? 0x10000 : 0x1000), 0, `${row.name} misaligned`);
      assert.equal(row.size % 0x1000, 0, `${row.name} size not whole sectors`);
      end = row.offset + row.size;
    }
    assert.ok(end <= 8 * 1024 * 1024, "fits the 8 MB module");
    const log = rows.find((r) => r.name === LOG_PARTITION)!;
    assert.equal(log.type, "data");
    const journal = rows.find((r) => r.name === OTA_JOURNAL_PARTITION)!;
    assert.equal(journal.type, "data");
    assert.ok(journal.size >= 2 * 0x1000, "the updater's journal needs two erase blocks");
    assert.equal(rows.find((r) => r.name === "ota_0")!.size, rows.find((r) => r.name === "ota_1")!.size, "the two slots are the same size");
  });
});

describe("ESP32 sdkconfig (hosts/esp32/sdkconfig/sdkconfig.defaults)", () => {
  const options = new Map(readFileSync("hosts/esp32/sdkconfig/sdkconfig.defaults", "utf8").split("\n")
    .map((line) => /^(CONFIG_\w+)=(.*)$/.exec(line.trim())).filter((m) => m !== null).map((m) => [m[1], m[2]]));

  it("builds a bootloader that test-boots new images and waits for the application to confirm them", () => {
    assert.equal(options.get("CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE"), "y");
  });

  it("gives the image the identity \"<FIRMWARE_VERSION>+sc<counter>\" that the firmware slots read", () => {
    assert.equal(options.get("CONFIG_APP_PROJECT_VER_FROM_CONFIG"), "y");
    const identity = parseImageIdentity(JSON.parse(options.get("CONFIG_APP_PROJECT_VER") ?? "null") as string);
    assert.ok(identity, "CONFIG_APP_PROJECT_VER is <major.minor.patch>+sc<counter>");
    assert.equal(identity.version, FIRMWARE_VERSION, "raise CONFIG_APP_PROJECT_VER with modules/version.ts");
  });
});
