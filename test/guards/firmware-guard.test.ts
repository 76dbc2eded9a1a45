import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scanFirmware } from "./firmware-guard.js";

describe("firmware Node-API guard", () => {
  it("finds no Node API in modules/ or drivers/", () => {
    const violations = scanFirmware(["modules", "drivers"]);
    assert.deepEqual(violations.map((v) => `${v.file}:${v.line} ${v.rule}: ${v.text}`), []);
  });

  describe("on planted code", () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), "guard-"));
      mkdirSync(join(root, "drivers"));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const plant = (source: string) => {
      writeFileSync(join(root, "drivers", "planted.ts"), source);
      return scanFirmware([join(root, "drivers")]).map((v) => v.rule);
    };

    it("fails on import fs from \"node:fs\"", () => {
      assert.deepEqual(plant('import fs from "node:fs";\nexport const x = fs;\n'), ["node: import"]);
    });
    it("fails on bare built-in modules, require, Buffer, process, global timers and eval", () => {
      assert.deepEqual(plant('import { readFileSync } from "fs";'), ["Node built-in module"]);
      assert.deepEqual(plant("const m = require('x');"), ["require()"]);
      assert.deepEqual(plant("const b = Buffer.from([1]);"), ["Buffer"]);
      assert.deepEqual(plant("if (process.env.X) {}"), ["process"]);
      assert.deepEqual(plant("setTimeout(() => {}, 10);"), ["global timer"]);
      assert.deepEqual(plant("eval('1');"), ["eval"]);
    });
    it("ignores comments and the platform's own timers", () => {
      assert.deepEqual(plant("// setTimeout(x) is not used here\nplatform.timers.set(cb, 10);\n/* process.exit() */\n"), []);
    });
  });
});
