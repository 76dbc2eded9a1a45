/**
 * `datalogger app --device ID`: the reference installer app against a simulated logger. Boots
 * the logger in-process with its simulated pairing key (hosts/sim/app/sim-pairing-key.ts), pairs
 * over the simulated BLE link as an installer who scanned its label, and prints the status live.
 */
import { webcrypto } from "node:crypto";
import { formatPairingLabel, parsePairingLabel } from "../app/pairing-label.js";
import { InstallerApp } from "../app/installer-app.js";
import { readFileSync } from "node:fs";
import { provisionSimulatedLogger, simulatedPairingKey } from "../app/sim-pairing-key.js";
import { formatSiteCheck, formatStatus } from "../app/status-text.js";
import { SimWorld, simDeviceDocument } from "../world/sim-world.js";
import { SeededRandom } from "../seeded-random.js";
import { parseArgs } from "./args.js";
import { parseDuration, parseSpeed, runPaced } from "./pacing.js";

const USAGE = "usage: datalogger app --device ID [--seed N] [--for 30s] [--speed 1|max] [--poll 1s] [--site-check] " +
  "[--label DL1:…] [--print-label]";

const EXAMPLE_CONFIG = new URL("../../../examples/config/example.json", import.meta.url);

const nodeRandom = { getRandomValues: (bytes: Uint8Array) => webcrypto.getRandomValues(bytes) };

export async function appCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ["device", "seed", "for", "speed", "poll", "label"], ["site-check", "print-label"]);
  const deviceId = parsed.values.get("device");
  if (!deviceId) throw new Error(USAGE);
  const seed = parsed.values.get("seed");
  const factorySeed = seed ?? "sim";
  if (parsed.flags.has("print-label")) {
    // What the factory prints on this simulated logger's label (a simulator key: guessable by design).
    console.log(formatPairingLabel(simulatedPairingKey(deviceId, factorySeed)));
    return 0;
  }
  const spanMs = parsed.values.has("for") ? parseDuration(parsed.values.get("for")!) : Infinity;
  const speed = parseSpeed(parsed.values.get("speed") ?? "1");
  const pollIntervalMs = parseDuration(parsed.values.get("poll") ?? "1s");
  const label = parsed.values.get("label");
  const pairingKey = label === undefined ? simulatedPairingKey(deviceId, factorySeed) : parsePairingLabel(label);

  // The example logger at its site, transmitting to the simulated server: what an installer meets.
  const world = new SimWorld({
    seed: factorySeed,
    days: Number.isFinite(spanMs) ? Math.ceil(spanMs / 86_400_000) + 1 : 30,
    document: simDeviceDocument(JSON.parse(readFileSync(EXAMPLE_CONFIG, "utf8")) as unknown, { intervalS: 900 }),
    board: { name: deviceId, random: seed === undefined ? nodeRandom : undefined },
    trace: (line) => console.log(`[${new Date(world.board.trueTime()).toISOString()}] logger: ${line}`),
  });
  const board = world.board;
  provisionSimulatedLogger(board.storage, deviceId, factorySeed);
  world.start();
  const say = (line: string) => console.log(`[${new Date(board.trueTime()).toISOString()}] app: ${line}`);

  let established = false;
  let endedBy: string | undefined;
  const app = new InstallerApp({
    link: board.ble,
    scheduler: board.scheduler,
    pairingKey,
    random: seed === undefined ? nodeRandom : new SeededRandom(`${seed}:app`),
    pollIntervalMs,
    onEstablished: () => {
      established = true;
      say(`session with ${deviceId} established`);
      if (parsed.flags.has("site-check")) app.requestSiteCheck();
    },
    onStatus: (status) => say(formatStatus(status, board.trueTime())),
    onSiteCheckStarted: (accepted) => say(accepted ? "site check started" : "site check busy"),
    onSiteCheckResult: (result) => say(formatSiteCheck(result)),
    onClosed: (reason) => {
      endedBy = reason;
      say(`session ended: ${reason}`);
      run.stop();
    },
  });
  board.scheduler.after(100, () => {
    say(`connecting to "${board.ble.advertising ?? "nothing advertising"}"`);
    if (!app.connect()) {
      endedBy = "the logger is not advertising";
      run.stop();
    }
  });
  const run = runPaced(board.scheduler, speed, spanMs);
  const stop = () => run.stop();
  process.once("SIGINT", stop);
  await run.done;
  process.off("SIGINT", stop);
  if (app.state === "established") {
    app.close();
    board.scheduler.runFor(3_000);
  }
  if (!established) console.error(`no session with ${deviceId}: ${endedBy ?? "time ran out"}`);
  return established && board.crashes.length === 0 ? 0 : 1;
}
