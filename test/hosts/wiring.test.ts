/**
 * The boards' wiring tables: no pin used twice, each chip's pin rules (flash, strapping,
 * input-only and ADC pins), and docs/hardware.md drawing exactly the same pin map.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ESP32_BOARD } from "../../hosts/esp32/board.js";
import { checkWiring, pinAssignments, type BoardWiring } from "../../hosts/moddable/board-wiring.js";
import { NRF52_BOARD } from "../../hosts/nrf52/board.js";
import { REFERENCE_PINS } from "../../modules/platform/reference-board.js";

/** Uses that drive a pin; everything else only reads it. */
const OUTPUT = /^(rail|modem PWRKEY|modem RESET|modem supply|RS-485 DE|I2C|.* TX)/;

function byUse(board: BoardWiring): Map<string, number> {
  const uses = new Map<string, number>();
  for (const [pin, names] of pinAssignments(board)) for (const name of names) uses.set(name, pin);
  return uses;
}

/** Rows of the pin-map table in docs/hardware.md: function -> [ESP32 cell, nRF52 cell]. */
function documentedPins(): Map<string, [string, string]> {
  const doc = readFileSync("docs/hardware.md", "utf8");
  const table = doc.slice(doc.indexOf("<!-- pin-map:begin -->"), doc.indexOf("<!-- pin-map:end -->"));
  const rows = new Map<string, [string, string]>();
  for (const line of table.split("\n").slice(3)) {
    const cells = line.split("|").map((c) => c.trim()).slice(1, -1);
    if (cells.length === 3) rows.set(cells[0], [cells[1], cells[2]]);
  }
  return rows;
}

describe("board wiring", () => {
  it("the ESP32 board uses the simulator's reference pin map", () => {
    assert.equal(ESP32_BOARD.pins, REFERENCE_PINS);
  });

  for (const board of [ESP32_BOARD, NRF52_BOARD]) {
    it(`${board.model}: every pin has one use and every bridge channel one role`, () => {
      assert.doesNotThrow(() => checkWiring(board));
    });
  }

  it("checkWiring names a pin given two uses, and two roles on one bridge channel", () => {
    const clash: BoardWiring = { ...ESP32_BOARD, batteryAdc: ESP32_BOARD.pins.analog[0] };
    assert.throws(() => checkWiring(clash), /pin 32 is assigned to analog 1 and battery ADC/);
    const shared: BoardWiring = { ...ESP32_BOARD, serial: { ...ESP32_BOARD.serial, rs232: { kind: "bridge", bridge: 0, channel: 1 } } };
    assert.throws(() => checkWiring(shared), /share bridge 0 channel 1/);
  });

  it("ESP32: no flash pins, inputs only on GPIO34-39, ADC1 for analog, strapping pins only where harmless", () => {
    const uses = byUse(ESP32_BOARD);
    for (const [use, pin] of uses) {
      assert.ok(pin < 6 || pin > 11, `${use} on flash pin ${pin}`);
      if (pin >= 34) assert.ok(!OUTPUT.test(use), `${use} drives input-only GPIO${pin}`);
      if (/^(analog|battery)/.test(use)) assert.ok(pin >= 32 && pin <= 39, `${use} on GPIO${pin}, not ADC1`);
    }
    const strapping = [...uses].filter(([, pin]) => [0, 2, 5, 12, 15].includes(pin)).map(([use, pin]) => `${pin}:${use}`).sort();
    assert.deepEqual(strapping, ["12:modem RESET", "15:digital 1", "2:modem supply", "5:digital 2"]);
  });

  it("nRF52: analog inputs and battery on AIN pins, crystal, NFC and reset pins untouched", () => {
    const ain = [2, 3, 4, 5, 28, 29, 30, 31];
    for (const [use, pin] of byUse(NRF52_BOARD)) {
      assert.ok(![0, 1, 9, 10, 18].includes(pin) && pin < 48, `${use} on P${pin >> 5}.${pin & 31}`);
      if (/^(analog|battery)/.test(use)) assert.ok(ain.includes(pin), `${use} is not on an AIN pin`);
    }
  });

  it("docs/hardware.md draws the same pin map as the wiring tables", () => {
    const documented = documentedPins();
    const esp32 = byUse(ESP32_BOARD);
    const nrf52 = byUse(NRF52_BOARD);
    const cell = (pin: number | undefined, nordic: boolean) =>
      pin === undefined ? "-" : nordic ? `P${pin >> 5}.${String(pin & 31).padStart(2, "0")} (${pin})` : String(pin);
    const expected = new Map<string, [string, string]>();
    for (const use of new Set([...esp32.keys(), ...nrf52.keys()])) {
      expected.set(use, [cell(esp32.get(use), false), cell(nrf52.get(use), true)]);
    }
    assert.deepEqual([...documented].sort(), [...expected].sort());
  });
});
