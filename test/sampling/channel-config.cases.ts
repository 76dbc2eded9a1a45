/** Channel configuration: defaults filled in, and every kind of mistake reported with its path. */
import type { AnalogChannelConfig, DigitalChannelConfig, PulseChannelConfig, SerialChannelConfig } from "../../modules/config/channels.js";
import { ChannelConfigError, parseChannelSet } from "../../modules/config/channels-parse.js";
import { REFERENCE_PINS } from "../../modules/platform/reference-board.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

type Json = Record<string, unknown>;

function validSet(): { rails: Json[]; channels: Json[] } {
  return {
    rails: [{ name: "loop", pin: 25 }],
    channels: [
      {
        kind: "analog", name: "level", id: 1, pin: 32, signal: { type: "current", shuntOhms: 150 }, scale: { min: 0, max: 5 },
        intervalS: 60, rail: "loop", warmUpMs: 2000, stats: { intervalS: 900, mean: 2 }, thresholds: { high: 4, deadband: 0.1 },
      },
      { kind: "pulse", name: "rain", id: 20, pin: 13, counter: { type: "contact", activeLow: true }, kFactor: 0.2, intervalS: 300, rate: { id: 21 } },
      { kind: "digital", name: "door", id: 30, pin: 15, intervalS: 3600, alarmState: 1 },
      { kind: "serial", name: "soil", port: "sdi12", protocol: "sdi12", address: "0", command: "M", intervalS: 900, values: [{ index: 0, id: 10 }] },
    ],
  };
}

/** Applies `change` to a valid set and expects each of `problems` among the reported problems. */
function expectProblems(change: (set: ReturnType<typeof validSet>) => void, ...problems: RegExp[]): void {
  const set = validSet();
  change(set);
  const error = throws(() => parseChannelSet(set, REFERENCE_PINS), ChannelConfigError) as ChannelConfigError;
  for (const problem of problems) {
    ok(error.problems.some((line) => problem.test(line)), `no problem matching ${problem} in:\n  ${error.problems.join("\n  ")}`);
  }
}

export const cases: TestCase[] = [
  {
    name: "a valid set parses with defaults filled in",
    run() {
      const set = parseChannelSet(validSet(), REFERENCE_PINS);
      equal(set.adcFullScaleVolts, 3.3);
      const level = set.channels[0] as AnalogChannelConfig;
      deepEqual(level.scale, [[4, 0], [20, 5]]);
      equal(level.average, 1);
      equal(level.offsetS, 0);
      deepEqual(level.stats, { intervalS: 900, keepSamples: false, mean: 2 });
      const rain = set.channels[1] as PulseChannelConfig;
      deepEqual(rain.counter, { type: "contact", debounceMs: 20, maxHz: 5, activeLow: true });
      equal(rain.persistIntervalS, 300);
      const door = set.channels[2] as DigitalChannelConfig;
      deepEqual([door.debounceMs, door.logEdges, door.activeLow], [50, true, false]);
      equal((set.channels[3] as SerialChannelConfig).timeoutMs, 30_000);
      const quick = validSet();
      quick.channels[3].intervalS = 20;
      equal((parseChannelSet(quick, REFERENCE_PINS).channels[3] as SerialChannelConfig).timeoutMs, 10_000, "half a short interval");
    },
  },
  {
    name: "unknown pins name the pins the board has",
    run() {
      expectProblems((set) => { set.channels[0].pin = 40; }, /channels\[0\]\.pin: 40 is not an analog input of this board \(it has 32, 33, 34, 35\)/);
      expectProblems((set) => { set.channels[1].counter = { type: "hardware", maxHz: 100 }; set.channels[1].pin = 15; }, /channels\[1\]\.pin: 15 is not a pulse input/);
      expectProblems((set) => { set.rails[0].pin = 2; }, /rails\[0\]\.pin: 2 cannot switch a rail/);
    },
  },
  {
    name: "overlapping rails and pins used twice",
    run() {
      expectProblems((set) => { set.rails.push({ name: "aux", pin: 25 }); }, /pin 25 is used by both rail "loop" and rail "aux"/);
      expectProblems((set) => { set.rails.push({ name: "loop", pin: 26 }); }, /rail "loop" is declared twice/);
      expectProblems((set) => { set.rails.push({ name: "aux", pin: 15 }); }, /pin 15 is used by both rail "aux" and channel "door"/);
      expectProblems((set) => { set.channels[0].rail = "sdi"; }, /channel "level": unknown rail "sdi" \(rails: loop\)/);
      expectProblems((set) => { set.channels[2].rail = "loop"; }, /channels\[2\]\.rail: this input watches its pin all the time/);
    },
  },
  {
    name: "impossible schedules",
    run() {
      expectProblems((set) => { set.channels[0].intervalS = 0; }, /channels\[0\]\.intervalS: 0 is too small \(must be at least 1\)/);
      expectProblems((set) => { set.channels[3].intervalS = 90_000; }, /channels\[3\]\.intervalS: 90000 is too large \(at most 86400\)/);
      expectProblems((set) => { set.channels[0].intervalS = 1.5; }, /expected a whole number, got 1.5/);
      expectProblems((set) => { set.channels[0].warmUpMs = 60_000; }, /warmUpMs: 60000 ms does not fit in the 60 s interval/);
      expectProblems((set) => { set.channels[0].offsetS = 60; }, /offsetS: 60 s must be less than the interval/);
      expectProblems((set) => { set.channels[0].stats = { intervalS: 90, mean: 2 }; }, /stats\.intervalS: 90 s is not a multiple of the channel's interval \(60 s\)/);
      expectProblems((set) => { delete set.channels[0].rail; }, /warmUpMs: a warm-up needs a switched rail/);
      expectProblems((set) => { set.channels[3].timeoutMs = 900_000; }, /timeoutMs: 900000 ms plus the warm-up does not fit/);
    },
  },
  {
    name: "signal, counter and threshold settings that cannot work",
    run() {
      expectProblems((set) => { set.channels[0].signal = { type: "current", shuntOhms: 250 }; }, /shuntOhms: 250 Ω puts 20.5 mA at 5.13 V, beyond the ADC's 3.3 V/);
      expectProblems((set) => {
        set.channels[1].counter = { type: "hardware", filterNs: 10_000, maxHz: 100_000 };
        set.channels[1].pin = 14;
      }, /filterNs: 10000 ns would drop real pulses at 100000 Hz/);
      expectProblems((set) => { set.channels[1].counter = { type: "contact", debounceMs: 200, maxHz: 5 }; }, /debounceMs: 200 ms would merge contact closures at 5 Hz/);
      expectProblems((set) => { set.channels[0].thresholds = { high: 1, low: 2 }; }, /thresholds\.low: 2 must be below high \(1\)/);
      expectProblems((set) => { set.channels[0].thresholds = { deadband: 1 }; }, /thresholds: sets no high, low or rateOfChange/);
      expectProblems((set) => { set.channels[0].scale = { table: [[4, 0], [4, 1]] }; }, /scale\.table\[1\]: signal 4 must be above 4/);
      expectProblems((set) => { set.channels[1].persistIntervalS = 5; }, /persistIntervalS: 5 is too small/);
    },
  },
  {
    name: "ids, names, kinds and misspelt settings",
    run() {
      expectProblems((set) => { set.channels[2].id = 21; }, /channel id 21 is used by both "rain" and "door"/);
      expectProblems((set) => { set.channels[2].name = "rain"; }, /channel name "rain" is used twice/);
      expectProblems((set) => { set.channels[0].id = 70_000; }, /channels\[0\]\.id: 70000 is too large/);
      expectProblems((set) => { set.channels[0].kind = "thermocouple"; }, /channels\[0\]\.kind: "thermocouple" is not one of analog, pulse, digital, serial/);
      expectProblems((set) => { set.channels[0].intervalSeconds = 60; }, /channels\[0\]\.intervalSeconds: unknown setting/);
      expectProblems((set) => { set.channels[3].values = []; }, /channels\[3\]\.values: names no value to read/);
    },
  },
  {
    name: "all problems are reported at once, and a non-object is refused",
    run() {
      const set = validSet();
      set.channels[0].pin = 40;
      set.channels[2].id = 1;
      set.rails[0].pin = 2;
      const error = throws(() => parseChannelSet(set, REFERENCE_PINS), ChannelConfigError) as ChannelConfigError;
      equal(error.problems.length, 3);
      ok(error.message.startsWith("channel configuration: 3 problems"));
      throws(() => parseChannelSet([], REFERENCE_PINS), /configuration: expected an object/);
    },
  },
];
