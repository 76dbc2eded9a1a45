/** RS232 line sensors: field extraction, streamed and prompted readings, faults, run-time changes. */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { SensorFault } from "../../modules/records/sample.js";
import { compileExtraction, parseDecimal } from "../../drivers/serial-ascii/extraction.js";
import type { MeasureResult } from "../../drivers/serial-port/measure-result.js";
import { type LineFaults, temperatureLines } from "../../hosts/sim/peers/rs232-line-sensor.js";
import { fuzzExtraction } from "./fuzz.js";
import { TEMPERATURE, asciiBench } from "./harness.js";

function extractor(extraction: Parameters<typeof compileExtraction>[0]) {
  const compiled = compileExtraction(extraction);
  if (typeof compiled === "string") throw new Error(compiled);
  return compiled;
}

const expectedTemperature = (timeMs: number) => Number(temperatureLines(timeMs)[0].split(",")[1]);

export const cases: TestCase[] = [
  {
    name: "delimited extraction: $TEMP,21.4,C field 1, other sentences skipped, missing or bad fields refused",
    run() {
      const temp = extractor({ kind: "delimited", delimiter: ",", fields: [1], prefix: "$TEMP," });
      ok(temp.wants("$TEMP,21.4,C") && !temp.wants("$HUM,48,%"));
      deepEqual(temp.extract("$TEMP,21.4,C"), { ok: true, value: [21.4] });
      deepEqual(temp.extract("$TEMP,-3.25,C"), { ok: true, value: [-3.25] });
      ok(!temp.extract("$TEMP,,C").ok);
      ok(!temp.extract("$TEMP").ok);
      ok(!temp.extract("$TEMP,21.4x,C").ok);
      ok(!temp.extract("$TEMP,0x10,C").ok);
      const two = extractor({ kind: "delimited", delimiter: ";", fields: [2, 0] });
      deepEqual(two.extract("1.5;x;2e3"), { ok: true, value: [2000, 1.5] });
    },
  },
  {
    name: "pattern extraction: capture groups as numbers; lines that do not match are not this channel's",
    run() {
      const pattern = extractor({ kind: "pattern", pattern: "^T=([-+0-9.]+) RH=([0-9.]+)%$", groups: [2, 1] });
      deepEqual(pattern.extract("T=-4.5 RH=81.2%"), { ok: true, value: [81.2, -4.5] });
      ok(!pattern.wants("T=4.5"));
      ok(!pattern.extract("T=4.5.5 RH=1%").ok);
      const optional = extractor({ kind: "pattern", pattern: "^A(1)?B$", groups: [1] });
      ok(!optional.extract("AB").ok, "a group that did not take part is not a value");
    },
  },
  {
    name: "bad extraction settings are refused with the reason",
    run() {
      for (const bad of [
        { kind: "delimited", delimiter: "", fields: [1] },
        { kind: "delimited", delimiter: ",", fields: [] },
        { kind: "delimited", delimiter: ",", fields: [-1] },
        { kind: "pattern", pattern: "([", groups: [1] },
        { kind: "pattern", pattern: "(a)", groups: [0] },
        { kind: "json", fields: [1] },
      ]) {
        equal(typeof compileExtraction(bad as never), "string", JSON.stringify(bad));
      }
      equal(parseDecimal(" 12.5 "), 12.5);
      equal(parseDecimal("1e999"), undefined);
      equal(parseDecimal("NaN"), undefined);
      equal(parseDecimal(""), undefined);
    },
  },
  {
    name: "a streaming sensor: a reading takes the next $TEMP line, skipping the $HUM line",
    run() {
      const bench = asciiBench(TEMPERATURE, { periodMs: 1000 });
      const result = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      deepEqual(result, { ok: true, value: [expectedTemperature(1000)] });
      bench.board.scheduler.runFor(1_200_000 - 500);
      const later = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      ok(later.ok && later.value[0] !== 21.4, "values follow the sensor");
      deepEqual(later, { ok: true, value: [expectedTemperature(1_200_000 + 1000)] });
    },
  },
  {
    name: "a prompted sensor at 4800 7E1: the prompt is sent, the answer read; a stale half line is not taken",
    run() {
      const framing = { baud: 4800, dataBits: 7, parity: "even", stopBits: 1 } as const;
      const bench = asciiBench({ ...TEMPERATURE, ...framing, prompt: "READ\r\n", timeoutMs: 500 }, { framing, prompt: "READ\r\n" });
      const stale = bench.board.buses.rs232.taps[1];
      stale.send(Uint8Array.from("$TEMP,99", (c) => c.charCodeAt(0)));
      bench.board.scheduler.runFor(100);
      const result = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      deepEqual(result, { ok: true, value: [expectedTemperature(bench.board.scheduler.now)] });
      equal(bench.peer.events[0].kind, "prompt");
    },
  },
  ...([
    [{ silent: true }, SensorFault.Timeout],
    [{ lateMs: 3000 }, SensorFault.Timeout],
    [{ garbage: true }, SensorFault.BadResponse],
    [{ parityErrors: true }, SensorFault.BadResponse],
    [{ truncateAfter: 6 }, SensorFault.BadResponse],
  ] as Array<[LineFaults, number]>).map(([fault, expected]): TestCase => ({
    name: `a prompted sensor answering with ${JSON.stringify(fault)} gives fault ${expected}, a counter, and no value`,
    run() {
      const framing = { baud: 9600, dataBits: 7, parity: "odd", stopBits: 1 } as const;
      const bench = asciiBench({ ...TEMPERATURE, ...framing, prompt: "R\r", timeoutMs: 1000, retries: 1 }, { framing, prompt: "R\r" });
      bench.peer.inject(fault);
      const result = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      ok(!result.ok && result.fault === expected, JSON.stringify(result));
      equal(bench.counters.get("ascii.retry"), 1);
      equal(bench.counters.get(`ascii.fault.${expected === SensorFault.Timeout ? "timeout" : "bad_response"}`), 1);
      if (fault.parityErrors) ok(bench.counters.get("ascii.line.parity") > 0);
      equal(bench.board.crashes.length, 0);
      bench.peer.inject({});
      bench.board.scheduler.runFor(5000);
      ok(bench.complete<MeasureResult>((done) => bench.sensor.measure(done)).ok, "the next reading works");
    },
  })),
  {
    name: "a streaming sensor with garbled lines is read from the next good line; a silent one times out",
    run() {
      const bench = asciiBench({ ...TEMPERATURE, timeoutMs: 3500 }, { periodMs: 1000 });
      bench.peer.inject({ garbage: true }, 2);
      const result = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      ok(result.ok && bench.counters.get("ascii.bad_line") >= 1, JSON.stringify(result));
      ok([2000, 3000].some((t) => result.ok && result.value[0] === expectedTemperature(t)));
      bench.peer.stop();
      const silent = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      ok(!silent.ok && silent.fault === SensorFault.Timeout);
    },
  },
  {
    name: "a line held in a break is a bus fault; released, the sensor is read again",
    run() {
      const bench = asciiBench({ ...TEMPERATURE, prompt: "R\r", timeoutMs: 300 }, { prompt: "R\r" });
      bench.peer.holdBusLow(true);
      const held = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      ok(!held.ok && held.fault === SensorFault.BusFault, JSON.stringify(held));
      bench.peer.holdBusLow(false);
      ok(bench.complete<MeasureResult>((done) => bench.sensor.measure(done)).ok);
    },
  },
  {
    name: "overlong lines are garbage; framing, prompt and timeout change at run time; bad changes are refused",
    run() {
      const bench = asciiBench({ ...TEMPERATURE, timeoutMs: 1500, maxLineLength: 16 }, { periodMs: 1000, lines: () => ["$TEMP,21.4,C,extra,fields,here"] });
      const long = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      ok(!long.ok && long.fault === SensorFault.BadResponse && /longer/.test(long.detail), JSON.stringify(long));
      ok(!bench.sensor.reconfigure({ baud: 1234 }).ok);
      ok(!bench.sensor.reconfigure({ extraction: { kind: "pattern", pattern: "(", groups: [1] } }).ok);
      ok(!bench.sensor.reconfigure({ prompt: "\u0001" }).ok);
      equal(bench.sensor.settings.maxLineLength, 16, "a refused change leaves everything as it was");
      deepEqual(bench.sensor.reconfigure({ maxLineLength: 64, baud: 19200 }), { ok: true });
      bench.board.buses.rs232.taps[1].setFraming({ baud: 19200 });
      const read = bench.complete<MeasureResult>((done) => bench.sensor.measure(done));
      deepEqual(read, { ok: true, value: [21.4] });
      equal(bench.sensor.settings.baud, 19200);
    },
  },
  {
    name: "500 random and 500 mutated lines through both extractors: no exception, values only from decimal fields",
    run() {
      equal(fuzzExtraction(500, 1), 1000);
    },
  },
];
