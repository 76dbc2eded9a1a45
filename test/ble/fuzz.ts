/**
 * Fuzzing the device side: each frame goes to a fresh connection in one of the three states
 * (before ClientHello, before ClientFinished, established) and is either random bytes or an
 * honest message with one mutation. Every frame must end in a dropped connection, with nothing
 * said before authentication, no crash, no internal error, and the logger serving the rightful
 * app afterwards. Node-free and seeded, so a failure replays exactly.
 */
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { concatBytes } from "../../modules/crypto/bytes.js";
import { InstallerCharacteristic } from "../../modules/ble/gatt.js";
import { DEFAULT_IDLE_TIMEOUT_MS } from "../../modules/ble/installer-service.js";
import { AppSteps, establish, LOGGER_KEY, RawCentral, settle, startLogger, type LoggerUnderTest } from "./harness.js";

export type FuzzState = "before-hello" | "before-finished" | "established";

export interface FuzzReport {
  frames: number;
  byState: Record<FuzzState, number>;
  /** Why the device dropped, by count (its health counters). */
  reasons: Record<string, number>;
  /** Frames the device dropped only when its time box or idle limit ran out. */
  droppedByTimer: number;
  virtualHours: number;
}

const { handshake: HANDSHAKE, request: REQUEST, notification: NOTIFICATION } = InstallerCharacteristic;
const CHARACTERISTICS = [HANDSHAKE, REQUEST, NOTIFICATION, "firmware"];

class FuzzFailure extends Error {}

/** One change that always alters the message. */
function mutate(random: SeededRandom, message: Uint8Array): Uint8Array {
  const out = message.slice();
  switch (random.below(5)) {
    case 0: {
      out[random.below(out.length)] ^= 1 << random.below(8);
      return out;
    }
    case 1: {
      const i = random.below(out.length);
      out[i] = (out[i] + 1 + random.below(255)) & 0xff;
      return out;
    }
    case 2:
      return out.subarray(0, random.below(out.length));
    case 3:
      return concatBytes(out, random.getRandomValues(new Uint8Array(1 + random.below(64))));
    default: {
      const start = random.below(out.length);
      const end = Math.min(out.length, start + 1 + random.below(32));
      for (let i = start; i < end; i++) out[i] ^= 1 + random.below(255);
      return out;
    }
  }
}

function randomFrame(random: SeededRandom): Uint8Array {
  return random.getRandomValues(new Uint8Array(random.below(245)));
}

/** Sends what the fuzzer made: a whole message framed honestly, or one raw GATT value. */
function sendFuzzed(random: SeededRandom, central: RawCentral, honest: Uint8Array, characteristic: string): void {
  const choice = random.below(4);
  if (choice === 0) {
    central.writeRaw(CHARACTERISTICS[random.below(CHARACTERISTICS.length)], randomFrame(random));
  } else if (choice === 1) {
    const framed = concatBytes(Uint8Array.of(0x80), honest);
    central.writeRaw(characteristic, mutate(random, framed).subarray(0, 244));
  } else {
    const mutated = mutate(random, honest);
    if (mutated.length === 0 || mutated.length > 1024) central.writeRaw(characteristic, mutated.subarray(0, 244));
    else central.send(random.below(8) === 0 ? CHARACTERISTICS[random.below(CHARACTERISTICS.length)] : characteristic, mutated);
  }
}

function check(condition: boolean, frame: number, what: string): void {
  if (!condition) throw new FuzzFailure(`frame ${frame}: ${what}`);
}

function waitForDrop(logger: LoggerUnderTest, central: RawCentral, report: FuzzReport): boolean {
  logger.run(100);
  if (!central.connected) return true;
  report.droppedByTimer++;
  logger.run(DEFAULT_IDLE_TIMEOUT_MS + 1_000);
  return !central.connected;
}

export function runFuzz(frames: number, seed: string): FuzzReport {
  const random = new SeededRandom(`fuzz:${seed}`);
  const appRandom = random.fork("app");
  const logger = startLogger({ seed: `fuzz-logger:${seed}` });
  const helloBasis = new AppSteps(LOGGER_KEY, appRandom);
  const report: FuzzReport = {
    frames: 0, byState: { "before-hello": 0, "before-finished": 0, established: 0 }, reasons: {}, droppedByTimer: 0, virtualHours: 0,
  };
  const drops = () => logger.counters.snapshot().filter(([name]) => name.startsWith("ble.drop.")).reduce((sum, [, n]) => sum + n, 0);
  for (let frame = 0; frame < frames; frame++) {
    settle(logger);
    const dropsBefore = drops();
    const central = new RawCentral(logger.board.ble);
    const roll = random.below(100);
    const state: FuzzState = roll < 90 ? "before-hello" : roll < 96 ? "before-finished" : "established";
    // A mutated ClientHello never verifies, so one honest basis serves every before-hello frame; the
    // other states need a fresh one each time (the device remembers the hellos it accepted).
    const steps = state === "before-hello" ? helloBasis : new AppSteps(LOGGER_KEY, appRandom);
    if (state === "established") {
      establish(logger, central, steps);
      check(logger.service().state === "established", frame, "honest handshake failed");
      sendFuzzed(random, central, steps.request({ kind: "status" }), REQUEST);
    } else {
      check(central.connect(), frame, "logger not advertising");
      if (state === "before-finished") {
        central.send(HANDSHAKE, steps.hello);
        logger.run(100);
        const serverHello = central.last(HANDSHAKE);
        check(serverHello !== undefined, frame, "no ServerHello to an honest ClientHello");
        sendFuzzed(random, central, steps.finish(serverHello!), HANDSHAKE);
      } else {
        sendFuzzed(random, central, steps.hello, HANDSHAKE);
      }
    }
    check(waitForDrop(logger, central, report), frame, `${state}: connection still open`);
    if (state === "before-hello") check(central.notifications.length === 0, frame, "device spoke before ClientHello");
    else if (state === "before-finished") check(!central.notifications.some((n) => n.characteristic === NOTIFICATION), frame, "record before ClientFinished");
    check(logger.board.crashes.length === 0, frame, `crash: ${logger.board.crashes.join("; ")}`);
    check(logger.counters.get("ble.internalErrors") === 0, frame, "internal error");
    check(drops() === dropsBefore + 1, frame, "not exactly one drop");
    report.byState[state]++;
    report.frames++;
  }
  settle(logger);
  const last = new RawCentral(logger.board.ble);
  const steps = establish(logger, last, new AppSteps(LOGGER_KEY, appRandom));
  last.send(REQUEST, steps.request({ kind: "status" }));
  logger.run(100);
  check(steps.response(last.last()!).kind === "status", frames, "the rightful app is not served after the fuzz run");
  check(logger.board.bootCount === 1, frames, "the logger rebooted");
  for (const [name, count] of logger.counters.snapshot()) if (name.startsWith("ble.drop.")) report.reasons[name.slice(9)] = count;
  report.virtualHours = Math.round(logger.board.scheduler.now / 36_000) / 100;
  return report;
}
