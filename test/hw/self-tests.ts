/**
 * The hardware self-tests, in the order the runner takes them. Each needs only the Platform, so
 * a driver adds its own by appending an entry (a name, a timeout, and a `run` that calls `done`
 * once with pass / fail / skip). Tests that need something wired by hand (a loopback jumper, a
 * sensor, a SIM) SKIP when it is absent rather than fail. docs/hardware.md, "Hardware test",
 * says how to run them.
 */
import { POWER_TIMING, PowerLines } from "../../drivers/modem/bg9x/power-lines.js";
import { FlashError } from "../../modules/platform/flash.js";
import type { SerialIO } from "../../modules/platform/io.js";
import type { Platform } from "../../modules/platform/platform.js";
import { fail, pass, skip, type SelfTest, type SelfTestResult } from "./self-test-runner.js";

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

/** Collects what a serial role receives for `ms`, then closes it. */
function listen(
  platform: Platform,
  port: "rs232" | "sdi12",
  framing: { baud: number; dataBits?: 7 | 8; parity?: "none" | "even" | "odd" },
  ms: number,
  start: (serial: SerialIO) => void,
  finished: (received: Uint8Array) => void,
): void {
  const chunks: number[] = [];
  const serial = new platform.io.Serial({
    port,
    ...framing,
    onReadable() {
      const bytes = this.read();
      if (bytes) for (const b of bytes) chunks.push(b);
    },
  });
  start(serial);
  platform.timers.set(() => {
    serial.close();
    finished(Uint8Array.from(chunks));
  }, ms);
}

const clockAndTimer: SelfTest = {
  name: "clock-timer",
  timeoutMs: 2000,
  run(platform, done) {
    const started = platform.clock.monotonic();
    platform.timers.set(() => {
      const elapsed = platform.clock.monotonic() - started;
      const wall = `wall clock ${new Date(platform.clock.now()).toISOString()} (${platform.clock.quality})`;
      done(elapsed >= 45 && elapsed <= 500 ? pass(`50 ms timer after ${elapsed} ms; ${wall}`) : fail(`50 ms timer after ${elapsed} ms`));
    }, 50);
  },
};

const repeatingTimer: SelfTest = {
  name: "timer-repeat-clear",
  timeoutMs: 2000,
  run(platform, done) {
    let ticks = 0;
    const timer = platform.timers.repeat(() => {
      ticks++;
      if (ticks === 5) platform.timers.clear(timer);
    }, 20);
    platform.timers.set(() => done(ticks === 5 ? pass("5 ticks, none after clear") : fail(`${ticks} ticks, expected 5`)), 250);
  },
};

const randomness: SelfTest = {
  name: "random",
  timeoutMs: 10_000,
  run(platform, done) {
    const a = platform.random.getRandomValues(new Uint8Array(32));
    const b = platform.random.getRandomValues(new Uint8Array(32));
    if (hex(a) === hex(b)) return done(fail("two draws are equal"));
    const sample = platform.random.getRandomValues(new Uint8Array(4096));
    let ones = 0;
    for (const byte of sample) for (let v = byte; v; v >>= 1) ones += v & 1;
    const share = ones / (sample.length * 8);
    // 32768 fair bits: the share of ones is 0.5 +- 0.0028 (one sigma); 0.48..0.52 is over 7 sigma.
    done(share > 0.48 && share < 0.52 ? pass(`ones ${(share * 100).toFixed(2)}%`) : fail(`ones ${(share * 100).toFixed(2)}%`));
  },
};

/** Erases, programs and restores the last block of the log partition (its content is kept in RAM meanwhile). */
const flashScratchBlock: SelfTest = {
  name: "flash-scratch-block",
  timeoutMs: 30_000,
  run(platform, done) {
    const { flash } = platform;
    const block = flash.byteLength / flash.blockSize - 1;
    const base = block * flash.blockSize;
    const saved = flash.read(base, flash.blockSize);
    const result = ((): SelfTestResult => {
      flash.erase(block);
      if (flash.read(base, flash.blockSize).some((b) => b !== 0xff)) return fail(`block ${block} not blank after erase`);
      const pattern = new Uint8Array(flash.blockSize).map((_, i) => (i * 7 + 3) & 0xff);
      flash.write(base, pattern);
      if (hex(flash.read(base, flash.blockSize)) !== hex(pattern)) return fail(`block ${block} did not read back`);
      try {
        flash.write(base, new Uint8Array(flash.writeGranularity).fill(0xff));
        return fail("programming 1s over 0s was not refused");
      } catch (error) {
        if (!(error instanceof FlashError)) throw error;
      }
      return pass(`erase/program/verify of block ${block} (${flash.blockSize} B, unit ${flash.writeGranularity} B)`);
    })();
    flash.erase(block);
    const unit = flash.writeGranularity;
    for (let at = 0; at < saved.length; at += unit) {
      const piece = saved.subarray(at, at + unit);
      if (piece.some((b) => b !== 0xff)) flash.write(base + at, piece);
    }
    done(result);
  },
};

const keyValue: SelfTest = {
  name: "key-value",
  timeoutMs: 5000,
  run(platform, done) {
    const value = platform.random.getRandomValues(new Uint8Array(8));
    platform.storage.write("hwtest", value);
    const back = platform.storage.read("hwtest");
    platform.storage.delete("hwtest");
    if (!back || hex(back) !== hex(value)) return done(fail(`read back ${back ? hex(back) : "nothing"}`));
    done(platform.storage.read("hwtest") === undefined ? pass("write/read/delete") : fail("key still there after delete"));
  },
};

const analogInputs: SelfTest = {
  name: "analog-inputs",
  timeoutMs: 5000,
  run(platform, done) {
    const codes: string[] = [];
    for (const pin of platform.pins.analog) {
      const adc = new platform.io.Analog({ pin });
      const code = adc.read();
      const top = 2 ** adc.resolution - 1;
      adc.close();
      if (!Number.isInteger(code) || code < 0 || code > top) return done(fail(`pin ${pin} read ${code}, outside 0..${top}`));
      codes.push(`${pin}:${code}`);
    }
    done(pass(`codes ${codes.join(" ")}`));
  },
};

const boardHealth: SelfTest = {
  name: "health",
  timeoutMs: 5000,
  run(platform, done) {
    const volts = platform.health.batteryVolts();
    const celsius = platform.health.internalTemperature();
    const humidity = platform.health.internalHumidity();
    const detail = `battery ${volts.toFixed(2)} V, ${celsius.toFixed(1)} C, ${humidity.toFixed(1)} %RH`;
    if (!(volts > 2.5 && volts < 4.5)) return done(fail(`${detail}: battery outside 2.5..4.5 V`));
    if (!(celsius > -40 && celsius < 85 && humidity >= 0 && humidity <= 100)) return done(fail(`${detail}: no SHT4x reading`));
    done(pass(detail));
  },
};

const pulseInputs: SelfTest = {
  name: "pulse-inputs",
  timeoutMs: 5000,
  run(platform, done) {
    for (const pin of platform.pins.pulse) {
      const counter = new platform.io.PulseCount({ signal: pin, filter: 20_000_000 });
      const count = counter.read();
      counter.close();
      if (count !== 0) return done(fail(`pin ${pin} counted ${count} before any pulse`));
    }
    done(pass(`counters on ${platform.pins.pulse.join(", ")} open at 0`));
  },
};

/** Needs TX and RX bridged on the RS-232 connector (pins 2 and 3 of the DE-9). */
const rs232Loopback: SelfTest = {
  name: "serial-loopback-rs232",
  timeoutMs: 5000,
  run(platform, done) {
    const probe = ascii("DL-1 loopback 0123456789\r\n");
    listen(platform, "rs232", { baud: 9600 }, 300, (serial) => serial.write(probe), (received) => {
      if (received.length === 0) done(skip("no loopback jumper"));
      else done(hex(received) === hex(probe) ? pass(`${probe.length} bytes echoed`) : fail(`received ${hex(received)}`));
    });
  },
};

/** A break, the marking time, then "?!": any sensor on the bus answers with its address. */
const sdi12Probe: SelfTest = {
  name: "sdi12-break-query",
  timeoutMs: 5000,
  run(platform, done) {
    listen(platform, "sdi12", { baud: 1200, dataBits: 7, parity: "even" }, 1000, (serial) => {
      serial.set({ break: true });
      platform.timers.set(() => {
        serial.set({ break: false });
        platform.timers.set(() => serial.write(ascii("?!")), 9);
      }, 13);
    }, (received) => {
      const text = String.fromCharCode(...received).trim();
      if (received.length === 0) done(skip("no SDI-12 sensor answered"));
      else done(/^[0-9A-Za-z]$/.test(text) ? pass(`sensor at address ${text}`) : fail(`answer ${hex(received)}`));
    });
  },
};

/** Powers the modem with the driver's power lines and asks "AT" every second until it answers "OK". */
const modemAt: SelfTest = {
  name: "modem-at",
  timeoutMs: 30_000,
  run(platform, done) {
    const { timers } = platform;
    const lines = new PowerLines(platform.io, platform.pins, timers);
    lines.setSupply(true);
    timers.set(() => lines.pressPowerKey(POWER_TIMING.powerOnPulseMs, () => {
      let answer = "";
      const serial = new platform.io.Serial({
        port: "modem",
        baud: 115200,
        onReadable() {
          const bytes = this.read();
          if (bytes) answer += String.fromCharCode(...bytes);
          if (answer.indexOf("OK") >= 0) finish(pass("modem answered OK"));
        },
      });
      const ask = timers.repeat(() => {
        try {
          serial.write(ascii("AT\r"));
        } catch {
          // "output full" while the modem is still starting: the next tick tries again.
        }
      }, 1000);
      const giveUp = timers.set(() => finish(fail(`no "OK" within 20000 ms (got ${answer.length} bytes)`)), 20_000);
      let finished = false;
      const finish = (result: SelfTestResult) => {
        if (finished) return;
        finished = true;
        timers.clear(ask);
        timers.clear(giveUp);
        serial.close();
        lines.setSupply(false);
        lines.close();
        done(result);
      };
    }), POWER_TIMING.supplySettleMs);
  },
};

export const SELF_TESTS: readonly SelfTest[] = [
  clockAndTimer,
  repeatingTimer,
  randomness,
  keyValue,
  flashScratchBlock,
  analogInputs,
  pulseInputs,
  boardHealth,
  rs232Loopback,
  sdi12Probe,
  modemAt,
];
