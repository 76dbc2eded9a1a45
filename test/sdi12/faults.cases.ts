/**
 * Every injected sensor fault ends in a fault, a counter and no value, with the logger running;
 * a fault that passes is survived by the retries.
 */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { SampleFlag, SensorFault } from "../../modules/records/sample.js";
import { type MeasureResult, type Outcome, measurementSamples } from "../../drivers/serial-port/measure-result.js";
import type { Sdi12Faults } from "../../hosts/sim/peers/sdi12-sensor.js";
import { sdi12Bench } from "./harness.js";

const persistent: Array<{ fault: Sdi12Faults; expect: number[]; counter?: string }> = [
  { fault: { silent: true }, expect: [SensorFault.Timeout] },
  { fault: { lateMs: 120 }, expect: [SensorFault.BadResponse, SensorFault.Timeout] },
  { fault: { garbage: true }, expect: [SensorFault.BadResponse] },
  { fault: { parityErrors: true }, expect: [SensorFault.BadResponse], counter: "sdi12.line.parity" },
  { fault: { wrongCrc: true }, expect: [SensorFault.BadResponse] },
  { fault: { truncateAfter: 4 }, expect: [SensorFault.BadResponse] },
];

export const cases: TestCase[] = [
  ...persistent.map(({ fault, expect, counter }): TestCase => ({
    name: `a sensor answering with ${JSON.stringify(fault)} gives a fault and a counter, never a value`,
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 0 } });
      bench.probe.inject(fault);
      const result = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M", crc: true }, done));
      ok(!result.ok, "no value");
      ok(expect.indexOf(result.fault) >= 0, `fault ${result.fault}: ${result.detail}`);
      const name = result.fault === SensorFault.Timeout ? "timeout" : "bad_response";
      equal(bench.counters.get(`sdi12.fault.${name}`), 1);
      ok(bench.counters.get("sdi12.retry") >= 8, "the full retry sequence ran");
      if (counter) ok(bench.counters.get(counter) > 0, counter);
      equal(bench.board.crashes.length, 0);
      const samples = measurementSamples(result, [7, 8, 9], 1_000, 0x04);
      deepEqual(samples.map((s) => [s.channel, s.value, s.flags]), [7, 8, 9].map((c) => [c, result.fault, 0x04 | SampleFlag.Fault]));
      bench.probe.inject({});
      const after = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M", crc: true }, done));
      ok(after.ok, "the next measurement works once the sensor recovers");
    },
  })),
  {
    name: "one corrupted answer (wrong CRC, garbage, parity, truncation) is survived by a retry with the right values",
    run() {
      for (const fault of [{ wrongCrc: true }, { garbage: true }, { parityErrors: true }, { truncateAfter: 3 }] as Sdi12Faults[]) {
        const bench = sdi12Bench({ probe: { measurementSeconds: 0 } });
        const reference = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M", crc: true }, done));
        bench.probe.inject(fault, 1);
        const result = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M", crc: true }, done));
        deepEqual(result, reference, JSON.stringify(fault));
        ok(bench.counters.get("sdi12.retry") >= 1, JSON.stringify(fault));
      }
    },
  },
  {
    name: "a sensor answering for another address is refused: alone it is a bad response, with the real sensor a collision",
    run() {
      const bench = sdi12Bench();
      bench.level!.inject({ answerFor: "2" });
      const alone = bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("2", done));
      ok(!alone.ok && alone.fault === SensorFault.BadResponse && /address "1"/.test(alone.detail), JSON.stringify(alone));
      bench.level!.inject({ answerFor: "0" });
      const contended = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M" }, done));
      ok(!contended.ok && contended.fault === SensorFault.BadResponse, JSON.stringify(contended));
      ok(bench.board.buses.sdi12.collisions > 0);
    },
  },
  {
    name: "a bus held low is a bus fault; once released the sensors are read again",
    run() {
      const bench = sdi12Bench();
      bench.level!.holdBusLow(true);
      const held = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M" }, done));
      ok(!held.ok && held.fault === SensorFault.BusFault, JSON.stringify(held));
      equal(bench.counters.get("sdi12.fault.bus_fault"), 1);
      bench.level!.holdBusLow(false);
      const after = bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M" }, done));
      ok(after.ok, JSON.stringify(after));
    },
  },
  {
    name: "a concurrent measurement interrupted by another command to its sensor is reported aborted, not read as values",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 2 } });
      bench.recorder.transparent("0C!", () => undefined);
      const aborted = bench.complete<Outcome<string>>((done) => {
        bench.board.scheduler.after(500, () => bench.recorder.transparent("0I!", () => bench.recorder.transparent("0D0!", done)));
      });
      deepEqual(aborted, { ok: true, value: "0" }, "the sensor dropped its data");
    },
  },
  {
    name: "bytes nobody asked for are counted and ignored",
    run() {
      const bench = sdi12Bench();
      const stray = bench.board.attach("sdi12", "chatter");
      stray.setFraming({ baud: 1200, dataBits: 7, parity: "even" });
      stray.send(Uint8Array.of(0x41, 0x42, 0x0d, 0x0a));
      bench.board.scheduler.runFor(100);
      equal(bench.counters.get("sdi12.stray_bytes"), 4);
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done)), { ok: true, value: "0" });
    },
  },
];
