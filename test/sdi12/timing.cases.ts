/**
 * The recorder's SDI-12 timing, measured on the simulated bus in virtual time: break length,
 * marking, response windows, retry spacing, breaks before new addresses and after 87 ms.
 */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { SensorFault } from "../../modules/records/sample.js";
import type { MeasureResult, Outcome } from "../../drivers/serial-port/measure-result.js";
import type { Sdi12PeerEvent } from "../../hosts/sim/peers/sdi12-sensor.js";
import { sdi12Bench } from "./harness.js";

type Command = Extract<Sdi12PeerEvent, { kind: "command" }>;
type Break = Extract<Sdi12PeerEvent, { kind: "break" }>;

const commandsOf = (events: Sdi12PeerEvent[]) => events.filter((e): e is Command => e.kind === "command");
const breaksOf = (events: Sdi12PeerEvent[]) => events.filter((e): e is Break => e.kind === "break");

export const cases: TestCase[] = [
  {
    name: "every break lasts at least 12 ms and is followed by at least 8.33 ms of marking",
    run() {
      const bench = sdi12Bench();
      bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "C" }, done));
      bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "1", kind: "M" }, done));
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done));
      const breaks = breaksOf(bench.probe.events);
      ok(breaks.length >= 3);
      for (const b of breaks) {
        ok(b.durationMs >= 12, `break of ${b.durationMs} ms`);
        ok(b.recognized);
      }
      for (const command of commandsOf(bench.probe.events)) {
        const lastBreak = breaks.filter((b) => b.at < command.at).pop();
        ok(lastBreak, "the first command follows a break");
        ok(command.sinceBreakMs >= 8.33 || command.at - (lastBreak.at + lastBreak.durationMs) > 87, `marking ${command.sinceBreakMs} ms`);
      }
    },
  },
  {
    name: "a new address always gets a break; the same address within 87 ms does not",
    run() {
      const bench = sdi12Bench();
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done));
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done));
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("1", done));
      bench.board.scheduler.runFor(200);
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("1", done));
      equal(breaksOf(bench.probe.events).length, 3, "0!, then 0! again without, then 1! and the late 1! with a break");
      const [first, second] = commandsOf(bench.probe.events);
      ok(second.at - first.endsAt < 87);
    },
  },
  {
    name: "the recorder leaves the line to the sensor for 7.5 ms after its answer before driving it again",
    run() {
      const bench = sdi12Bench();
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done));
      bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("1", done));
      const answerEnd = bench.probe.events.filter((e) => e.kind === "answer")[0].at + 3 * (10_000 / 1200);
      const nextBreak = breaksOf(bench.level!.events).filter((b) => b.at > answerEnd - 50)[0];
      ok(nextBreak.at - answerEnd >= 7.5, `${nextBreak.at - answerEnd} ms`);
    },
  },
  {
    name: "a silent sensor gets 2 retries 16.67..87 ms after each command, one more than 100 ms after the break, then 2 more sequences with a break",
    run() {
      const bench = sdi12Bench();
      bench.probe.inject({ silent: true });
      const outcome = bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done));
      ok(!outcome.ok && outcome.fault === SensorFault.Timeout);
      const commands = commandsOf(bench.probe.events);
      const breaks = breaksOf(bench.probe.events);
      equal(commands.length, 9);
      equal(breaks.length, 3);
      for (let sequence = 0; sequence < 3; sequence++) {
        const tries = commands.slice(sequence * 3, sequence * 3 + 3);
        const breakEnd = breaks[sequence].at + breaks[sequence].durationMs;
        ok(tries[0].at > breakEnd && tries[0].at - breakEnd < 12, "the first try follows its break");
        for (let i = 1; i < 3; i++) {
          const wait = tries[i].at - tries[i - 1].endsAt;
          ok(wait >= 16.67 && wait <= 87, `retry ${i} of sequence ${sequence} after ${wait} ms`);
          ok(!breaks.some((b) => b.at > tries[i - 1].at && b.at < tries[i].at), "retries go without a break");
        }
        ok(tries[2].at - breakEnd > 100, `last retry ${tries[2].at - breakEnd} ms after the break`);
      }
      equal(bench.counters.get("sdi12.retry"), 8);
      equal(bench.counters.get("sdi12.fault.timeout"), 1);
    },
  },
  {
    name: "a sensor that needs 95 ms to wake is reached by the retry sent more than 100 ms after the break",
    run() {
      const bench = sdi12Bench({ probe: { wakeMs: 95 } });
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done)), { ok: true, value: "0" });
      const ignored = bench.probe.events.filter((e) => e.kind === "ignored");
      equal(ignored.length, 2);
      equal(bench.counters.get("sdi12.retry"), 2);
    },
  },
  {
    name: "with the shortest response window the last retry of a sequence still waits until 100 ms after the break",
    run() {
      const bench = sdi12Bench({ probe: { wakeMs: 95 }, recorder: { timing: { responseWindowMs: 24 } } });
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done)), { ok: true, value: "0" });
      const command = 2 * (10_000 / 1200);
      const [first, second, third] = bench.probe.events.filter((e) => e.kind === "command" || e.kind === "ignored");
      const b = breaksOf(bench.probe.events)[0];
      deepEqual([first.kind, second.kind, third.kind], ["ignored", "ignored", "command"], "the sensor wakes only for the third");
      ok(second.at - (first.at + command) >= 24 && second.at - (first.at + command) < 26, "the first retry 24 ms after the command");
      ok(third.at - (b.at + b.durationMs) >= 100, `the last retry ${third.at - (b.at + b.durationMs)} ms after the break`);
      ok(third.at - (second.at + command) <= 87, "and still within 87 ms of the previous command");
      equal(breaksOf(bench.probe.events).length, 1);
    },
  },
  {
    name: "answers starting 8.33 to 15 ms after the command are read; the recorder waits 30 ms for the first character",
    run() {
      for (const delay of [8.33, 12, 15.4]) {
        const bench = sdi12Bench();
        bench.probe.inject({ lateMs: delay });
        deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done)), { ok: true, value: "0" }, `delay ${delay}`);
        equal(bench.counters.get("sdi12.retry"), 0, `no retry at ${delay} ms`);
      }
      const bench = sdi12Bench();
      bench.probe.inject({ lateMs: 40 }, 1);
      deepEqual(bench.complete<Outcome<string>>((done) => bench.recorder.acknowledge("0", done)), { ok: true, value: "0" });
      ok(bench.counters.get("sdi12.retry") >= 1, "a 40 ms answer is too late: the recorder retried");
    },
  },
  {
    name: "aD0! follows the service request within 87 ms without a break; after ttt without one it comes with a break",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 2, readyMs: 700 } });
      bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M" }, done));
      const answers = bench.probe.events.filter((e) => e.kind === "answer");
      const serviceRequestEnd = answers[1].at + 3 * (10_000 / 1200);
      const d0 = commandsOf(bench.probe.events)[1];
      equal(d0.text, "0D0!");
      ok(d0.at - serviceRequestEnd <= 87 && d0.at - serviceRequestEnd >= 7.5, `aD0! ${d0.at - serviceRequestEnd} ms after the service request`);
      ok(!breaksOf(bench.probe.events).some((b) => b.at > serviceRequestEnd - 30 && b.at < d0.at), "no break");
    },
  },
  {
    name: "the measurement waits the announced time from the end of the header when no service request comes",
    run() {
      const bench = sdi12Bench({ probe: { measurementSeconds: 3, serviceRequest: false } });
      bench.complete<MeasureResult>((done) => bench.recorder.measure({ address: "0", kind: "M" }, done));
      const header = bench.probe.events.filter((e) => e.kind === "answer")[0];
      const headerEnd = header.at + (header.kind === "answer" ? header.text.length + 2 : 0) * (10_000 / 1200);
      const lastBreak = breaksOf(bench.probe.events).pop()!;
      ok(lastBreak.at - headerEnd >= 3000 && lastBreak.at - headerEnd < 3020, `${lastBreak.at - headerEnd} ms`);
    },
  },
];
