/**
 * A simulated logger with the example configuration, transmitting hourly to the simulated server,
 * through a scripted run of outages: three days without coverage, modem hangs (silent and stuck),
 * a link dropped mid-publish, broker restarts, and power cuts at random moments (some inside a
 * flash program). The RTC starts two hours wrong and unset, so the first records are re-stamped.
 * Every sample the log accepts is recorded with its sequence number (the ground truth); samples
 * still in RAM when power went are taken out of it at the next boot, since the log renumbers them.
 */
import { readFileSync } from "node:fs";
import type { Sample } from "../../../modules/records/sample.js";
import { SeededRandom } from "../../../hosts/sim/seeded-random.js";
import type { IngestListener } from "../../../hosts/sim/server/ingest.js";
import { SimWorld, simDeviceDocument } from "../../../hosts/sim/world/sim-world.js";

export const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
export const RTC_ERROR_MS = -2 * HOUR;

export interface OutageEvent {
  atMs: number;
  what: string;
}

export interface OutageRun {
  world: SimWorld;
  /** seq -> the sample the log accepted under that number (and kept). */
  truth: Map<number, Sample>;
  events: OutageEvent[];
  boots: number;
  /** Samples lost from RAM by power cuts (never durable, so never numbered for good). */
  lostInRam: number;
  /** Virtual times the modem's supply was switched on and off. */
  modemOn: Array<{ from: number; to: number }>;
}

export function runWithOutages(days: number, landing: IngestListener, seed = "outage"): OutageRun {
  const sampling: unknown = JSON.parse(readFileSync(new URL("../../../examples/config/example.json", import.meta.url), "utf8"));
  const truth = new Map<number, Sample>();
  const events: OutageEvent[] = [];
  const run: OutageRun = { world: undefined as unknown as SimWorld, truth, events, boots: 0, lostInRam: 0, modemOn: [] };
  const world = new SimWorld({
    seed, days: days + 1, landing,
    // A small log, so that three days without coverage overflow it (drop-oldest).
    flashBlocks: 4, rtcDriftPpm: 40,
    document: simDeviceDocument(sampling, { intervalS: 3600, logPolicy: "drop-oldest" }),
    firmware: {
      // Ten minutes of samples before the first session, taken with the clock unset.
      timing: { firstSessionDelayMs: 10 * MINUTE },
      tap: (seq, sample) => truth.set(seq, { ...sample, value: Math.fround(sample.value) }),
      onBoot: (parts) => {
        run.boots++;
        for (const seq of truth.keys()) {
          if (seq > parts.mount.newestSeq) {
            truth.delete(seq);
            run.lostInRam++;
          }
        }
        // The RTC was never set and runs two hours wrong.
        if (run.boots === 1) parts.platform.clock.setTime(parts.platform.clock.now() + RTC_ERROR_MS, "unset");
      },
    },
  });
  run.world = world;
  const { board, modem, server } = world;
  const at = (ms: number, what: string, act: () => void) => board.scheduler.at(ms, () => {
    events.push({ atMs: board.scheduler.now, what });
    act();
  });
  const scale = days / 30;
  const day = (n: number) => Math.max(1, Math.round(n * scale)) * DAY;
  // No coverage for three days.
  at(day(8) + 3 * HOUR, "coverage lost for 3 days", () => modem.radio.loseCoverageFor(3 * DAY));
  // The modem hangs while publishing (only a power-key press cures it) and while connecting to the broker.
  at(day(4) + 10 * HOUR, "modem hangs silently on the next publish", () => {
    modem.faults.hang = { trigger: "AT+QMTPUB", mode: "silent", curedBy: "power-key" };
  });
  at(day(14) + 10 * HOUR, "modem stuck on the next MQTT connect", () => {
    modem.faults.hang = { trigger: "AT+QMTCONN", mode: "stuck", curedBy: "cfun" };
  });
  // The link drops after the broker got a publish but before the PUBACK: the packet is sent again.
  at(day(5) + 13 * HOUR, "link drops mid-publish", () => { modem.faults.dropLinkOnPublish = "after-delivery"; });
  at(day(20) + 9 * HOUR, "link drops before the publish arrives", () => { modem.faults.dropLinkOnPublish = "before-delivery"; });
  // Broker restarts: one in the middle of a session's exchange, one between sessions.
  at(day(6) + 14 * HOUR + 33_000, "broker restarts during a session", () => server.restartBroker());
  at(day(17) + 2 * HOUR + 40 * MINUTE, "broker restarts between sessions", () => server.restartBroker());
  // Power cuts at random moments, one every few days, some of them inside a flash program.
  board.pins.watch(board.pinMap.modemSupply, (level) => {
    if (level) run.modemOn.push({ from: board.scheduler.now, to: Infinity });
    else if (run.modemOn.length) run.modemOn[run.modemOn.length - 1].to = board.scheduler.now;
  });
  // A power cut takes the modem's supply with it (the board's own model keeps released outputs as they were).
  const cutModemPower = () => { if (!board.running) board.pins.drive(board.pinMap.modemSupply, 0); };
  board.scheduler.after(0, function watch() {
    cutModemPower();
    board.scheduler.after(5000, watch);
  });
  const random = new SeededRandom(`${seed}:power`);
  for (let t = DAY + random.below(DAY); t < days * DAY - DAY / 2; t += 2 * DAY + random.below(2 * DAY)) {
    const offMs = MINUTE + random.below(30 * MINUTE);
    if (random.next() < 0.4) {
      at(t, "power cut inside the next flash write", () => board.flash.armPowerCut(1, random.next() < 0.5 ? "prefix" : "bits"));
    } else {
      at(t, `power cut for ${Math.round(offMs / MINUTE)} min`, () => {
        board.cutPower();
        cutModemPower();
      });
    }
    at(t + offMs, "power back", () => {
      board.flash.disarmPowerCut();
      if (!board.running) board.powerOn();
    });
  }
  world.start();
  board.scheduler.runUntil(days * DAY);
  // Let every armed cut fire or lapse, then a quiet day to drain the backlog.
  board.flash.disarmPowerCut();
  if (!board.running) board.powerOn();
  board.scheduler.runFor(DAY);
  return run;
}
