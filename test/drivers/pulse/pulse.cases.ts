/**
 * Pulse counting against a kHz flow meter and a bouncing rain gauge: the hardware unit's wrap, the
 * glitch filter, contact debounce, and a total that survives power cuts within its documented window.
 */
import { ContactPulseSource } from "../../../drivers/pulse/contact-pulse-source.js";
import { drainIntervalMs, HardwarePulseSource } from "../../../drivers/pulse/hardware-pulse-source.js";
import { decodePulseTotal, encodePulseTotal, pulseTotalKey } from "../../../drivers/pulse/pulse-total-record.js";
import { PulseTotalizer } from "../../../drivers/pulse/pulse-totalizer.js";
import { SimBoard } from "../../../hosts/sim/board.js";
import { SeededRandom } from "../../../hosts/sim/seeded-random.js";
import { FlowMeter } from "../../../hosts/sim/sources/flow-meter.js";
import { RainGauge } from "../../../hosts/sim/sources/rain-gauge.js";
import { deepEqual, equal, ok } from "../../support/assert.js";
import type { TestCase } from "../../support/cases.js";
import { bootPlatform } from "../../sampling/sampling-harness.js";

const FLOW_PIN = 14;
const RAIN_PIN = 13;
const MINUTE = 60_000;

function flowMeter(board: SimBoard, pin: number, hz: number): FlowMeter {
  return new FlowMeter({ pins: board.pins, pin, pulsesPerLitre: 100, flow: () => hz / 100 });
}

export const cases: TestCase[] = [
  {
    name: "5 kHz for 20 minutes: drained in time, no pulse is lost to the 16-bit unit's wrap",
    run() {
      const board = new SimBoard({ seed: "flow-1" });
      const platform = bootPlatform(board);
      const meter = flowMeter(board, FLOW_PIN, 5000);
      const source = new HardwarePulseSource(platform.io.PulseCount, platform.timers, { pin: FLOW_PIN, filterNs: 1000, maxHz: 10_000 });
      // Baseline: the same signal on a unit that nobody drains between two reads 15 minutes apart.
      const undrainedMeter = flowMeter(board, 13, 5000);
      const undrained = new platform.io.PulseCount({ signal: 13, filter: 1000 });
      board.scheduler.runFor(15 * MINUTE);
      equal(source.count(), meter.pulses);
      ok(meter.pulses > 100 * 32_768, `${meter.pulses} pulses in 15 minutes`);
      ok(undrained.read() < undrainedMeter.pulses - 32_768, "an undrained unit wraps and loses pulses");
      board.scheduler.runFor(5 * MINUTE);
      equal(source.count(), meter.pulses);
      equal(drainIntervalMs(10_000), 1638, "drained at half capacity for the declared maximum rate");
    },
  },
  {
    name: "noise spikes narrower than the glitch filter are not counted",
    run() {
      const board = new SimBoard({ seed: "flow-2" });
      const platform = bootPlatform(board);
      const meter = flowMeter(board, FLOW_PIN, 800);
      const source = new HardwarePulseSource(platform.io.PulseCount, platform.timers, { pin: FLOW_PIN, filterNs: 2000, maxHz: 2000 });
      for (let i = 0; i < 50; i++) board.scheduler.after(i * 1000 + 333, () => meter.glitch(3, 400));
      board.scheduler.runFor(MINUTE);
      equal(meter.glitches, 150);
      equal(source.count(), meter.pulses);
    },
  },
  {
    name: "a bouncing tipping bucket counts each tip once; without debounce the bounce would count",
    run() {
      const board = new SimBoard({ seed: "rain-1" });
      const platform = bootPlatform(board);
      const gauge = new RainGauge({ pins: board.pins, pin: RAIN_PIN, mmPerTip: 0.2, random: new SeededRandom("gauge") });
      const source = new ContactPulseSource(platform, { pin: RAIN_PIN, debounceMs: 20, activeLow: true });
      let rawClosures = 0;
      board.pins.watch(RAIN_PIN, (level) => { if (level === 0) rawClosures++; });
      gauge.rain(MINUTE, 60 * MINUTE, 12.4);
      gauge.rain(70 * MINUTE, 5 * MINUTE, 8);
      board.scheduler.runFor(2 * 60 * MINUTE);
      equal(gauge.tipTimes.length, 102);
      equal(source.count(), gauge.tipTimes.length);
      ok(rawClosures > gauge.tipTimes.length, `${rawClosures} raw closures for ${gauge.tipTimes.length} tips`);
    },
  },
  {
    name: "a power cut loses at most the pulses of one persist interval and never counts one twice",
    run() {
      const board = new SimBoard({ seed: "flow-3" });
      const meter = flowMeter(board, FLOW_PIN, 1000);
      let totalizer: PulseTotalizer | undefined;
      board.start((platform) => {
        const source = new HardwarePulseSource(platform.io.PulseCount, platform.timers, { pin: FLOW_PIN, filterNs: 1000, maxHz: 2000 });
        totalizer = new PulseTotalizer(platform, source, 7, MINUTE);
      });
      const saved = () => decodePulseTotal(board.storage.read(pulseTotalKey(7))!)!;
      board.scheduler.runFor(10 * MINUTE + 30_000);
      const atCut = meter.pulses;
      board.cutPower();
      const kept = saved();
      ok(kept <= atCut && atCut - kept <= 1000 * 60, `kept ${kept} of ${atCut}: within one minute's pulses`);
      board.scheduler.runFor(MINUTE);
      const atPowerOn = meter.pulses;
      board.powerOn();
      board.scheduler.runFor(5 * MINUTE);
      equal(totalizer!.pulses, kept + (meter.pulses - atPowerOn), "saved total plus what came since power-on");
      totalizer!.close();
      equal(saved(), totalizer!.pulses, "closing saves the exact total");
    },
  },
  {
    name: "an unreadable saved total is reported and counting starts from zero",
    run() {
      const board = new SimBoard({ seed: "flow-4" });
      board.storage.write(pulseTotalKey(7), Uint8Array.of(1, 2, 3));
      let totalizer: PulseTotalizer | undefined;
      board.start((platform) => {
        totalizer = new PulseTotalizer(platform, new ContactPulseSource(platform, { pin: RAIN_PIN, debounceMs: 20, activeLow: true }), 7, MINUTE);
      });
      equal(totalizer!.pulses, 0);
      ok(board.traceLog.some((line) => line.includes("pt.7 unreadable")), "traced");
    },
  },
  {
    name: "saved total encoding: the worked example of docs/configuration.md",
    run() {
      deepEqual(encodePulseTotal(1234), Uint8Array.of(0x00, 0x00, 0x00, 0x00, 0x00, 0x48, 0x93, 0x40));
      equal(decodePulseTotal(encodePulseTotal(15_873)), 15_873);
      equal(decodePulseTotal(encodePulseTotal(-1)), undefined, "negative");
      equal(decodePulseTotal(encodePulseTotal(2.5)), undefined, "fractional");
      equal(pulseTotalKey(65_535), "pt.65535");
    },
  },
];
