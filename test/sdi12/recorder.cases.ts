/** Every SDI-12 command the recorder sends, against the simulated soil probe and level sensor. */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { SensorFault } from "../../modules/records/sample.js";
import type { MeasureResult, Outcome } from "../../drivers/serial-port/measure-result.js";
import type { MeasurementRequest } from "../../drivers/sdi12/commands.js";
import type { ScanEntry } from "../../drivers/sdi12/scan.js";
import type { MeasurementHeader, Sdi12Identification } from "../../drivers/sdi12/responses.js";
import { type Sdi12Bench, commandTexts, sdi12Bench } from "./harness.js";

function measure(bench: Sdi12Bench, request: MeasurementRequest): MeasureResult {
  return bench.complete<MeasureResult>((done) => bench.recorder.measure(request, done));
}

function values(result: MeasureResult): number[] {
  if (!result.ok) throw new Error(`expected values, got fault ${result.fault}: ${result.detail}`);
  return result.value;
}

function near(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  equal(actual.length, expected.length, "number of values");
  actual.forEach((value, i) => ok(Math.abs(value - expected[i]) <= tolerance, `value ${i}: ${value} vs ${expected[i]}`));
}

/** What the probe would read now, rounded as it prints. */
function probeNow(bench: Sdi12Bench): number[] {
  const t = bench.board.scheduler.now;
  const wave = (mean: number, amplitude: number, hours: number) => mean + amplitude * Math.sin((2 * Math.PI * t) / (hours * 3_600_000));
  return [wave(23.4, 2.1, 24), wave(14.8, 3.5, 24), wave(0.412, 0.03, 48)];
}

export const cases: TestCase[] = [
  {
    name: "a! and aI!: the probe acknowledges and identifies itself",
    run() {
      const bench = sdi12Bench();
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done)), { ok: true, value: "0" });
      const id = bench.complete<Outcome<Sdi12Identification>>((done) => bench.recorder.identify("1", done));
      deepEqual(id, { ok: true, value: { address: "1", sdi12Version: "13", vendor: "HYDROSIM", model: "LV100", firmwareVersion: "3.0", extra: "" } });
      deepEqual(commandTexts(bench.probe), ["0!"]);
    },
  },
  {
    name: "?!: one sensor on the bus gives its address; two answer at once and that is a bad response, not an address",
    run() {
      const alone = sdi12Bench({ probeOnly: true });
      deepEqual(alone.complete<Outcome<string>>((done) => alone.recorder.queryAddress(done)), { ok: true, value: "0" });
      const both = sdi12Bench();
      const outcome = both.complete<Outcome<string>>((done) => both.recorder.queryAddress(done));
      ok(!outcome.ok && outcome.fault === SensorFault.BadResponse, JSON.stringify(outcome));
      ok(both.board.buses.sdi12.collisions > 0);
    },
  },
  {
    name: "aAb!: the sensor moves to the new address, the recorder lets it store it for a second",
    run() {
      const bench = sdi12Bench();
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.changeAddress("0", "5", done)), { ok: true, value: "5" });
      const changedAt = bench.board.scheduler.now;
      equal(bench.probe.address, "5");
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("5", done)), { ok: true, value: "5" });
      const commands = bench.probe.events.filter((e) => e.kind === "command");
      const answer = bench.probe.events.find((e) => e.kind === "answer");
      ok(answer && commands[1].at - answer.at >= 1000 - 1, "a second before the next command");
      ok(changedAt - (answer?.at ?? 0) >= 1000 - 1);
      const old = bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done));
      ok(!old.ok && old.fault === SensorFault.Timeout);
      const bad = bench.complete<Outcome<string>>((done) => bench.recorder.changeAddress("5", "#", done));
      ok(!bad.ok && bad.fault === SensorFault.SensorError);
    },
  },
  {
    name: "aM!: the header, the service request, then aD0! with the three values",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 3, readyMs: 1500 } });
      const result = measure(bench, { address: "0", kind: "M" });
      near(values(result), probeNow(bench), 0.006);
      deepEqual(commandTexts(bench.probe), ["0M!", "0D0!"]);
      const answers = bench.probe.events.filter((e) => e.kind === "answer").map((e) => (e.kind === "answer" ? e.text : ""));
      equal(answers[0], "00033");
      equal(answers[1], "0", "service request");
      ok(bench.board.scheduler.now < 2000, "read at the service request, not after ttt");
      equal(bench.counters.get("sdi12.measurements"), 1);
    },
  },
  {
    name: "aM1! with 9 values pages through aD0! and aD1!; aMC1! does the same with CRCs",
    run() {
      const bench = sdi12Bench();
      const plain = values(measure(bench, { address: "0", kind: "M", group: 1 }));
      equal(plain.length, 9);
      near(plain, [20, 21.5, 23, 24.5, 26, 27.5, 29, 30.5, 32], 0.01);
      const withCrc = values(measure(bench, { address: "0", kind: "M", group: 1, crc: true }));
      near(withCrc, plain, 0.01);
      deepEqual(commandTexts(bench.probe), ["0M1!", "0D0!", "0D1!", "0MC1!", "0D0!", "0D1!"]);
    },
  },
  {
    name: "aC! on two sensors runs concurrently: the second starts before the first's data are read",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 3 }, level: { measurementSeconds: 1 } });
      const results: MeasureResult[] = [];
      bench.recorder.measure({ address: "0", kind: "C" }, (r) => results.push(r));
      const level = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "1", kind: "C", crc: true }, done));
      equal(values(level).length, 2);
      bench.complete<void>((done) => { const wait = () => (results.length ? done() : bench.board.scheduler.after(10, wait)); wait(); });
      near(values(results[0]), probeNow(bench), 0.01);
      ok(bench.board.scheduler.now < 3000 + 1000, "overlapped, not 3 s + 1 s");
      deepEqual(commandTexts(bench.probe), ["0C!", "0D0!"]);
      deepEqual(commandTexts(bench.level!), ["1CC!", "1D0!"]);
      const levelRead = bench.level!.events.find((e) => e.kind === "command" && e.text === "1D0!")!.at;
      const probeRead = bench.probe.events.find((e) => e.kind === "command" && e.text === "0D0!")!.at;
      ok(levelRead < probeRead, "the 1 s sensor is read while the 3 s sensor is still measuring");
    },
  },
  {
    name: "aCC1! reads 12 values in one 75-character page with a CRC",
    run() {
      const bench = sdi12Bench();
      equal(values(measure(bench, { address: "0", kind: "C", group: 1, crc: true })).length, 12);
      deepEqual(commandTexts(bench.probe), ["0CC1!", "0D0!"]);
    },
  },
  {
    name: "aV!: verification values, after the service request",
    run() {
      const bench = sdi12Bench();
      deepEqual(values(measure(bench, { address: "0", kind: "V" })), [0, 3.61]);
      deepEqual(commandTexts(bench.probe), ["0V!", "0D0!"]);
    },
  },
  {
    name: "aHA! (v1.4): 40 values over 75-character pages aD0!..aD4!, every page with a CRC",
    run() {
      const bench = sdi12Bench();
      const result = values(measure(bench, { address: "0", kind: "HA" }));
      equal(result.length, 40);
      const commands = commandTexts(bench.probe);
      equal(commands[0], "0HA!");
      deepEqual(commands.slice(1), ["0D0!", "0D1!", "0D2!", "0D3!", "0D4!"]);
      const pages = bench.probe.events.filter((e) => e.kind === "answer" && e.text.startsWith("0+"));
      ok(pages.every((e) => e.kind === "answer" && e.text.length - 1 - 3 <= 75), "each page within 75 characters plus its CRC");
    },
  },
  {
    name: "aR0! and aRC0!: continuous values at once, no measurement command",
    run() {
      const bench = sdi12Bench();
      equal(values(measure(bench, { address: "0", kind: "R" })).length, 1);
      equal(values(measure(bench, { address: "0", kind: "R", crc: true })).length, 1);
      deepEqual(commandTexts(bench.probe), ["0R0!", "0RC0!"]);
      const missing = measure(bench, { address: "0", kind: "R", group: 5 });
      ok(!missing.ok && missing.fault === SensorFault.SensorError, "a sensor that cannot measure continuously answers a alone");
    },
  },
  {
    name: "aIM!, aIC! (v1.4): the header without a measurement; aIM_001!, aIMC_002!: SHEF code and units",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 2 } });
      deepEqual(bench.complete<Outcome<MeasurementHeader>>((done) => bench.recorder.identifyMeasurement({ address: "0", kind: "M" }, done)),
        { ok: true, value: { seconds: 2, count: 3 } });
      deepEqual(bench.complete<Outcome<MeasurementHeader>>((done) => bench.recorder.identifyMeasurement({ address: "0", kind: "C", group: 1 }, done)),
        { ok: true, value: { seconds: 1, count: 12 } });
      deepEqual(bench.complete<Outcome<string[]>>((done) => bench.recorder.metadata({ address: "0", kind: "M" }, 1, done)),
        { ok: true, value: ["MW", "%", "volumetric water content"] });
      deepEqual(bench.complete<Outcome<string[]>>((done) => bench.recorder.metadata({ address: "0", kind: "M", crc: true }, 2, done)),
        { ok: true, value: ["TS", "C"] });
      deepEqual(commandTexts(bench.probe), ["0IM!", "0IC1!", "0IM_001!", "0IMC_002!"]);
      equal(bench.board.scheduler.now < 1000, true, "no measurement was waited for");
    },
  },
  {
    name: "scan: both sensors with their identification, nothing at empty addresses",
    run() {
      const bench = sdi12Bench();
      const found = bench.complete<ScanEntry[]>((done) => bench.recorder.scan({ addresses: ["0", "1", "2", "3", "A"] }, done));
      deepEqual(found.map((entry) => [entry.address, entry.identification?.model, entry.problem]), [["0", "SP3", undefined], ["1", "LV100", undefined]]);
      const all = bench.complete<ScanEntry[]>((done) => bench.recorder.scan({ identify: false }, done));
      deepEqual(all, [{ address: "0" }, { address: "1" }]);
      ok(bench.board.scheduler.now < 30_000, `62 addresses in ${bench.board.scheduler.now} ms`);
    },
  },
  {
    name: "scan reports an address where two sensors answer as a problem, not as a sensor",
    run() {
      const bench = sdi12Bench({ level: { address: "0" } });
      const found = bench.complete<ScanEntry[]>((done) => bench.recorder.scan({ addresses: ["0", "1"] }, done));
      equal(found.length, 1);
      equal(found[0].address, "0");
      ok(found[0].problem, "contention is reported");
    },
  },
  {
    name: "transparent mode sends a console command and returns the raw answer; a malformed command is refused",
    run() {
      const bench = sdi12Bench();
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.transparent("0I!", done)), { ok: true, value: "014TERRASIMSP3   1.2SN00042" });
      const unknown = bench.complete<Outcome<string>>((done) => bench.recorder.transparent("0XCAL!", done));
      ok(!unknown.ok && unknown.fault === SensorFault.Timeout, "sensors do not answer unknown commands");
      for (const bad of ["0I", "!", "0I!!", "#I!", "0I\u00e9!"]) {
        const refusedOutcome = bench.complete<Outcome<string>>((done) => bench.recorder.transparent(bad, done));
        ok(!refusedOutcome.ok && refusedOutcome.fault === SensorFault.SensorError, bad);
      }
    },
  },
  {
    name: "software parity: 7E1 framed in software over an 8N1 UART reads the same, and can be switched at run time",
    run() {
      const bench = sdi12Bench({ recorder: { softwareParity: true } });
      near(values(measure(bench, { address: "0", kind: "M", crc: true })), probeNow(bench), 0.006);
      equal(bench.board.buses.sdi12.taps[0].framing.dataBits, 8, "the UART itself runs 8N1");
      deepEqual(bench.recorder.reconfigure({ softwareParity: false }), { ok: true });
      near(values(measure(bench, { address: "1", kind: "M" })).slice(1), [9.6], 0.05);
      equal(bench.board.buses.sdi12.taps[0].framing.dataBits, 7);
      equal(bench.recorder.settings.softwareParity, false);
    },
  },
  {
    name: "reconfigure refuses bad timings whole and applies good ones between transactions",
    run() {
      const bench = sdi12Bench();
      const refused = bench.recorder.reconfigure({ timing: { breakMs: 10, markingMs: 20 } });
      ok(!refused.ok && /breakMs/.test(refused.error));
      equal(bench.recorder.settings.timing.markingMs, 9, "nothing of a refused change is applied");
      ok(!bench.recorder.reconfigure({ retry: { retries: -1 } }).ok);
      ok(!bench.recorder.reconfigure({ timing: { responseWindowMs: 100 } }).ok, "a retry must come within 87 ms");
      ok(!bench.recorder.reconfigure({ timing: { responseWindowMs: 20 } }).ok, "a legal answer's first character can take 23.7 ms");
      deepEqual(bench.recorder.reconfigure({ timing: { breakMs: 20 }, retry: { sequences: 2 } }), { ok: true });
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done));
      const breaks = bench.probe.events.filter((e) => e.kind === "break");
      equal(breaks[breaks.length - 1].kind === "break" && breaks[breaks.length - 1].durationMs, 20);
      deepEqual(bench.recorder.settings.retry, { retries: 2, sequences: 2 });
    },
  },
  {
    name: "requests that cannot be sent fail at once with SensorError and touch nothing",
    run() {
      const bench = sdi12Bench();
      for (const request of [{ address: "?", kind: "M" }, { address: "0", kind: "M", group: 12 }, { address: "0", kind: "V", crc: true }] as MeasurementRequest[]) {
        const result = measure(bench, request);
        ok(!result.ok && result.fault === SensorFault.SensorError);
      }
      const meta = bench.complete<Outcome<string[]>>((done) => bench.recorder.metadata({ address: "0", kind: "M" }, 0, done));
      ok(!meta.ok);
      deepEqual(commandTexts(bench.probe), []);
    },
  },
  {
    name: "an M group the sensor does not have (a0000) and data not ready at ttt are sensor errors, not values",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 1, readyMs: 5000 } });
      const undefinedGroup = measure(bench, { address: "0", kind: "M", group: 4 });
      ok(!undefinedGroup.ok && undefinedGroup.fault === SensorFault.SensorError, JSON.stringify(undefinedGroup));
      const late = measure(bench, { address: "0", kind: "M" });
      ok(!late.ok && late.fault === SensorFault.SensorError && /aborted/.test(late.detail), JSON.stringify(late));
      equal(bench.counters.get("sdi12.fault.sensor_error"), 2);
    },
  },
  {
    name: "a sensor that sends no service request is read after ttt, with a break",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 2, serviceRequest: false } });
      near(values(measure(bench, { address: "0", kind: "M" })), probeNow(bench), 0.006);
      const commands = bench.probe.events.filter((e) => e.kind === "command");
      const header = bench.probe.events.find((e) => e.kind === "answer")!;
      ok(commands[1].at - header.at >= 2000, "aD0! after ttt");
      const breakBefore = bench.probe.events.filter((e) => e.kind === "break" && e.at < commands[1].at && e.at > header.at);
      equal(breakBefore.length, 1, "aD0! after ttt is woken with a break");
    },
  },
  {
    name: "operations queue for the bus and each ends in exactly one callback",
    run() {
      const bench = sdi12Bench();
      const order: string[] = [];
      bench.recorder.acknowledge("0", () => order.push("ack0"));
      bench.recorder.measure({ address: "1", kind: "M" }, () => order.push("m1"));
      bench.recorder.identify("0", () => order.push("id0"));
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("1", done));
      deepEqual(order, ["ack0", "m1", "id0"]);
      bench.recorder.close();
      let called = false;
      bench.recorder.acknowledge("0", () => { called = true; });
      bench.board.scheduler.runFor(5000);
      equal(called, false, "nothing is called back after close");
    },
  },
];
