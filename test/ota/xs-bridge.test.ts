/**
 * The updater inside the XS engine, its board in Node: the bridged `platform.update` (slots,
 * journal, mark, confirm) carries a whole update, and the board's bootloader sees the result.
 */
import assert from "node:assert/strict";
import { SimBoard } from "../../hosts/sim/board.js";
import { XsFirmware } from "../../hosts/xs/xs-firmware.js";
import { updaterFirmware, XS_UPDATE_VERSION } from "./support/xs-updater.js";

function runUpdate(firmware: (board: SimBoard) => void): SimBoard {
  const board = new SimBoard({ seed: "xs-ota" });
  firmware(board);
  board.scheduler.runFor(120_000);
  return board;
}

describe("ota: the updater in XS over the bridged firmware slots", function () {
  this.timeout(60_000);

  it("downloads, marks, restarts, self-checks and confirms exactly as natively", async () => {
    const xs = await XsFirmware.load({ entry: "test/ota/support/xs-updater.ts", exportName: "updaterFirmware", name: "ota" });
    let inXs: SimBoard;
    try {
      inXs = runUpdate((board) => board.start(xs.boot));
    } finally {
      xs.close();
    }
    const native = runUpdate((board) => board.start(updaterFirmware));
    assert.deepEqual(inXs.traceLog, native.traceLog);
    assert.deepEqual(inXs.bootloader.flash.image(), native.bootloader.flash.image());
    assert.deepEqual(inXs.crashes, []);
    assert.equal(inXs.bootloader.booted?.image.version, XS_UPDATE_VERSION);
    const trace = inXs.traceLog.join("\n");
    assert.match(trace, /xs-ota notice accepted/);
    assert.match(trace, /xs-ota session downloaded 24054/);
    assert.match(trace, new RegExp(`xs-ota run=${XS_UPDATE_VERSION} trial=false history=installed`));
  });
});
