import assert from "node:assert/strict";
import { FlashError } from "../../modules/platform/flash.js";
import { NorFlash, PowerCut, TORN_MODELS } from "../../hosts/sim/nor-flash.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";

const bytes = (...values: number[]) => Uint8Array.from(values);

describe("NOR flash simulator", () => {
  it("starts erased, programs by clearing bits, and erases a block to 0xFF", () => {
    const flash = new NorFlash({ blocks: 2 });
    assert.deepEqual(flash.read(0, 2), bytes(0xff, 0xff));
    flash.write(0, bytes(0xf0, 0x0f));
    flash.write(0, bytes(0x30, 0x0f));
    assert.deepEqual(flash.read(0, 2), bytes(0x30, 0x0f));
    flash.erase(0);
    assert.deepEqual(flash.read(0, 2), bytes(0xff, 0xff));
    assert.equal(flash.eraseCounts[0], 1);
    assert.equal(flash.stats.bytesProgrammed, 4);
  });

  it("refuses a 0 -> 1 program and leaves the cells unchanged", () => {
    const flash = new NorFlash({ blocks: 1 });
    flash.write(10, bytes(0x00));
    assert.throws(() => flash.write(10, bytes(0x01)), FlashError);
    assert.deepEqual(flash.read(10, 1), bytes(0x00));
  });

  it("enforces the write granularity", () => {
    const flash = new NorFlash({ blocks: 1, writeGranularity: 16 });
    assert.throws(() => flash.write(8, new Uint8Array(16)), /aligned/);
    assert.throws(() => flash.write(0, new Uint8Array(8)), /aligned/);
    flash.write(16, new Uint8Array(32));
  });

  it("refuses out-of-range access and bad blocks", () => {
    const flash = new NorFlash({ blocks: 1 });
    assert.throws(() => flash.read(4090, 10), FlashError);
    assert.throws(() => flash.erase(1), FlashError);
  });

  for (const model of TORN_MODELS) {
    it(`"${model}" cut in a program lands only part of the intended bits, then stays dead`, () => {
      let sawPartial = false;
      for (let trial = 0; trial < 40; trial++) {
        const flash = new NorFlash({ blocks: 1, random: new SeededRandom(trial) });
        flash.armPowerCut(1, model);
        const data = new Uint8Array(64).fill(0x00);
        assert.throws(() => flash.write(0, data), PowerCut);
        assert.throws(() => flash.read(0, 1), PowerCut);
        flash.powerOn();
        const after = flash.read(0, 64);
        const cleared = after.filter((b) => b !== 0xff).length;
        if (cleared > 0 && after.some((b) => b !== 0x00)) sawPartial = true;
        if (model === "prefix") {
          const firstUnlanded = after.findIndex((b) => b === 0xff);
          if (firstUnlanded >= 0) assert.ok(after.subarray(firstUnlanded).every((b) => b === 0xff), "prefix model lands a prefix");
        }
      }
      assert.ok(sawPartial, "some cut left a partial program");
    });

    it(`"${model}" cut in an erase leaves a mix of old bits and ones`, () => {
      let sawMix = false;
      for (let trial = 0; trial < 20; trial++) {
        const flash = new NorFlash({ blocks: 2, random: new SeededRandom(trial) });
        flash.write(0, new Uint8Array(4096));
        flash.armPowerCut(1, model);
        assert.throws(() => flash.erase(0), PowerCut);
        flash.powerOn();
        const after = flash.read(0, 4096);
        if (after.some((b) => b !== 0xff) && after.some((b) => b !== 0x00)) sawMix = true;
        assert.deepEqual(flash.read(4096, 4), bytes(0xff, 0xff, 0xff, 0xff), "other blocks untouched");
      }
      assert.ok(sawMix);
    });
  }

  it("cuts at the Nth operation counted across programs and erases", () => {
    const flash = new NorFlash({ blocks: 2 });
    flash.armPowerCut(3, "prefix");
    flash.write(0, bytes(0));
    flash.erase(1);
    assert.throws(() => flash.write(1, bytes(0)), PowerCut);
    assert.equal(flash.stats.operations, 3);
  });

  it("loads and reproduces an image byte for byte", () => {
    const flash = new NorFlash({ blocks: 1 });
    flash.write(100, bytes(1, 2, 3));
    const copy = new NorFlash({ blocks: 1, image: flash.image() });
    assert.deepEqual(copy.image(), flash.image());
    assert.throws(() => new NorFlash({ blocks: 2, image: flash.image() }), /image/);
  });
});
