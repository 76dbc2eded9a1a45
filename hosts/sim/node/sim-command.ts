/**
 * `datalogger sim`: one simulated logger with the example configuration (or `--config FILE`) at
 * its site, sampling, logging and transmitting through the simulated modem to the simulator
 * world's server, whose receiver lands the data as CSV files in `--data-dir`. A live view shows
 * it on a terminal; `--for 30d --speed max` runs a span and prints a summary.
 *
 * Networks: `tls` (the default) is the embedded MQTT broker and HTTPS endpoint on loopback with
 * real TLS 1.2; `memory` is the in-memory network in virtual time (the default with `--speed
 * max`: real TLS per session would dominate a month's run); `--broker mqtts://host:port` is an
 * external broker (with `--ca`, `--user`, `--password`, and `--receiver-user` /
 * `--receiver-password` for the receiver's own account there).
 */
import { webcrypto } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDeviceConfig } from "../../../modules/config/device-config.js";
import type { Sample } from "../../../modules/records/sample.js";
import type { SimBoardOptions } from "../board.js";
import { NorFlash } from "../nor-flash.js";
import { Scheduler } from "../scheduler.js";
import { describeReport, type DeviceAccount, type Receiver } from "../server/receiver.js";
import type { LoggerFirmwareOptions, LoggerParts } from "../world/logger-firmware.js";
import { SimLogger, SimWorld } from "../world/sim-world.js";
import { parseArgs } from "./args.js";
import { CsvLanding, DEFAULT_CSV_PATTERN } from "./csv-landing.js";
import { loadFlashImage, loadStorage, saveFlashImage, saveStorage } from "./flash-image.js";
import { exposeConsolePty, type ConsolePty } from "./console-pty.js";
import { NodeNetwork } from "./network/node-network.js";
import { parseDuration, parseSpeed, runPaced } from "./pacing.js";
import { attachTerminal, type AttachedTerminal } from "./terminal.js";
import { channelLabels, LandingCounter, renderView, TerminalView } from "./world/live-view.js";
import { loadDocument, loadOrCreateAccount, pointedAt, startEpoch, transportOf } from "./world/sim-setup.js";
import { ConfigOutbox } from "./world/config-outbox.js";
import { connectReceiver, startWorldServer } from "./world/world-server.js";

const FLASH_BLOCKS = 256;
const BLOCK_SIZE = 4096;
const DAY_MS = 86_400_000;
const VIEW_INTERVAL_MS = 250;
const EXTERNAL_MAX_SPEED = 50;

interface Totals {
  logged: number;
  sessions: number;
  failedSessions: number;
  packets: number;
  bytes: number;
  modemOnMs: number;
}

interface RunningWorld {
  logger: SimLogger;
  receiver: Receiver | undefined;
  where: string;
  close(): Promise<void>;
}

export async function simCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args, [
    "for", "speed", "seed", "image", "config", "data-dir", "network", "csv-pattern",
    "broker", "ca", "user", "password", "device-id", "receiver-user", "receiver-password",
  ], ["trace", "quiet", "console", "console-pty"]);
  const value = (name: string) => parsed.values.get(name);
  const spanMs = value("for") ? parseDuration(value("for")!) : Infinity;
  let speed = parseSpeed(value("speed") ?? "1");
  if (value("broker") && (speed === "max" || speed > EXTERNAL_MAX_SPEED)) {
    // Nothing holds virtual time between the external broker's PUBACK and the receiver hearing the packet.
    console.log(`with an external broker the simulation runs at most ${EXTERNAL_MAX_SPEED}x`);
    speed = EXTERNAL_MAX_SPEED;
  }
  const seed = value("seed");
  const dataDir = resolve(value("data-dir") ?? "datalogger-data");
  const network = value("broker") ? "external" : value("network") ?? (speed === "max" ? "memory" : "tls");
  if (!["tls", "memory", "external"].includes(network)) throw new Error(`--network must be tls or memory, not "${network}"`);
  const imagePath = value("image");
  const storagePath = imagePath ? `${imagePath}.storage.json` : undefined;
  const document = loadDocument(value("config"));
  const csvDir = join(dataDir, "csv");
  mkdirSync(csvDir, { recursive: true });
  const landing = new LandingCounter(new CsvLanding(csvDir, value("csv-pattern") ?? DEFAULT_CSV_PATTERN));
  const epochMs = startEpoch(seed !== undefined);
  const siteSeed = seed ?? webcrypto.randomUUID();
  const account = network === "external" ? externalAccount(value) : loadOrCreateAccount(dataDir);
  const latest = new Map<number, Sample>();
  const events: string[] = [];
  const totals: Totals = { logged: 0, sessions: 0, failedSessions: 0, packets: 0, bytes: 0, modemOnMs: 0 };
  let parts: LoggerParts | undefined;
  let scheduler: Scheduler | undefined;
  const stamp = () => new Date(epochMs + (scheduler?.now ?? 0)).toISOString();
  const trace = parsed.flags.has("trace") ? (line: string) => console.log(`[${stamp()}] ${line}`) : undefined;
  const firmware: LoggerFirmwareOptions = {
    tap: (_seq, sample) => {
      totals.logged++;
      latest.set(sample.channel, sample);
    },
    listener: { onTransmission: (event) => events.push(`${stamp().slice(0, 19)}Z uplink ${event.ok ? "ok" : "failed"}: ${event.detail}`) },
    onBoot: (booted) => {
      addUp(totals, parts);
      parts = booted;
    },
  };
  const board: Omit<SimBoardOptions, "scheduler"> = {
    name: account.username, seed, epochMs, trace,
    random: seed === undefined ? { getRandomValues: (bytes) => webcrypto.getRandomValues(bytes) } : undefined,
    flash: new NorFlash({ blocks: FLASH_BLOCKS, blockSize: BLOCK_SIZE, image: imagePath ? loadFlashImage(imagePath, FLASH_BLOCKS * BLOCK_SIZE) : undefined }),
    storage: storagePath ? loadStorage(storagePath) : undefined,
  };
  const world = await startWorld(network, { document, account, board, firmware, siteSeed, spanMs, dataDir, landing, value, trace });
  const logger = world.logger;
  scheduler = logger.board.scheduler;
  const labels = channelLabels(parseDeviceConfig(document, logger.board.pinMap).sampling.channels);
  let modemOnSince: number | undefined;
  logger.board.pins.watch(logger.board.pinMap.modemSupply, (level) => {
    if (level) modemOnSince = scheduler!.now;
    else if (modemOnSince !== undefined) totals.modemOnMs += scheduler!.now - modemOnSince;
    if (!level) modemOnSince = undefined;
  });

  const title = `datalogger sim  ${account.username}  speed ${speed === "max" ? "max" : `${speed}x`}  ${world.where}`;
  // The technician's console takes the terminal: the live view gives way and events go to stderr.
  const onTerminal = parsed.flags.has("console");
  const quiet = parsed.flags.has("quiet") || trace !== undefined || onTerminal;
  const view = !quiet && process.stdout.isTTY ? new TerminalView(process.stdout) : undefined;
  if (!view && !quiet) console.log(`${title}\ndata lands in ${csvDir}; configuration changes dropped into ${join(dataDir, "outbox")} are pushed`);
  let printed = 0;
  let reportsSeen = 0;
  const outbox = world.receiver ? new ConfigOutbox(dataDir, world.receiver, account.username, (line) => events.push(line)) : undefined;
  const refresh = () => {
    outbox?.poll();
    for (const received = world.receiver?.reports ?? []; reportsSeen < received.length; reportsSeen++) {
      const { report, atMs } = received[reportsSeen];
      events.push(`${new Date(atMs).toISOString().slice(0, 19)}Z logger reports ${describeReport(report)}`);
    }
    if (view) {
      view.draw(renderView({ title, now: epochMs + scheduler!.now, parts, latest, labels, landing, dataDir: csvDir, events }));
    } else if (onTerminal) {
      for (; printed < events.length; printed++) console.error(events[printed]);
    } else if (!quiet) {
      for (; printed < events.length; printed++) console.log(events[printed]);
    }
  };
  const wall = performance.now();
  outbox?.poll();
  logger.start();
  const run = runPaced(scheduler, speed, spanMs);
  const timer = setInterval(refresh, VIEW_INTERVAL_MS);
  const stop = () => run.stop();
  process.once("SIGINT", stop);
  const pty: ConsolePty | undefined = parsed.flags.has("console-pty") ? await exposeConsolePty(logger.board) : undefined;
  if (pty) console.error(`console on ${pty.path}: attach a terminal program, e.g. picocom -b 115200 ${pty.path}`);
  const terminal: AttachedTerminal | undefined = onTerminal
    ? attachTerminal(logger.board, process.stdin, process.stdout, { onQuit: stop })
    : undefined;
  if (terminal?.raw) console.error("console attached: type help; Ctrl-] quits");
  await run.done;
  process.off("SIGINT", stop);
  terminal?.detach();
  await pty?.close();
  clearInterval(timer);
  refresh();
  addUp(totals, parts);
  if (modemOnSince !== undefined) totals.modemOnMs += scheduler.now - modemOnSince;
  await world.close();
  if (imagePath) saveFlashImage(imagePath, logger.board.flash.image());
  if (storagePath) saveStorage(storagePath, logger.board.storage);
  printSummary({ totals, landing, scheduler, wallMs: performance.now() - wall, csvDir, logger });
  return logger.board.crashes.length ? 1 : 0;
}

function externalAccount(value: (name: string) => string | undefined): DeviceAccount {
  const username = value("user");
  const password = value("password");
  if (!username || !password || !value("ca")) throw new Error("--broker needs --ca FILE, --user and --password (the device's account there)");
  return { deviceId: Number(value("device-id") ?? 1001), username, password };
}

/** Adds a finished boot's uplink figures to the run's totals. */
function addUp(totals: Totals, parts: LoggerParts | undefined): void {
  const status = parts?.agent?.status();
  if (!status) return;
  totals.sessions += status.sessions;
  totals.failedSessions += status.failedSessions;
  totals.packets += status.packetsSent;
  totals.bytes += status.bytesSent;
}

interface WorldSetup {
  document: Record<string, unknown>;
  account: DeviceAccount;
  board: Omit<SimBoardOptions, "scheduler">;
  firmware: LoggerFirmwareOptions;
  siteSeed: string;
  spanMs: number;
  dataDir: string;
  landing: LandingCounter;
  value(name: string): string | undefined;
  trace?(line: string): void;
}

async function startWorld(network: string, setup: WorldSetup): Promise<RunningWorld> {
  const { account, board, firmware, siteSeed, landing, trace } = setup;
  const days = Number.isFinite(setup.spanMs) ? Math.ceil(setup.spanMs / DAY_MS) + 1 : 366;
  if (network === "memory") {
    const world = new SimWorld({
      seed: siteSeed, days, document: setup.document, landing, firmware, account, board, epochMs: board.epochMs, trace,
    });
    return { logger: world, receiver: world.server.receiver, where: "in-memory network", close: async () => undefined };
  }
  const scheduler = new Scheduler();
  const nodeNetwork = new NodeNetwork(scheduler, { hosts: { localhost: "127.0.0.1" } });
  const make = (document: Record<string, unknown>, caPem: string) => new SimLogger({
    board: { ...board, scheduler }, network: nodeNetwork, account, caPem, document, siteSeed, days, firmware,
  });
  const now = () => (board.epochMs ?? 0) + scheduler.now;
  const hold = (reason: string) => scheduler.hold(reason);
  if (network === "tls") {
    const server = await startWorldServer({ dataDir: setup.dataDir, accounts: [account], listener: landing, now, hold, trace });
    const port = transportOf(setup.document) === "mqtt" ? server.broker.port : server.https.port;
    return {
      logger: make(pointedAt(setup.document, "localhost", port), server.pki.caPem), receiver: server.receiver,
      where: `embedded ${transportOf(setup.document)} server on localhost:${port} (TLS 1.2, CA in ${server.pki.dir})`, close: server.close,
    };
  }
  const url = new URL(setup.value("broker")!);
  if (url.protocol !== "mqtts:") throw new Error("--broker must be an mqtts://host:port URL");
  const caPem = readFileSync(setup.value("ca")!, "utf8");
  const receiverUser = setup.value("receiver-user");
  const receiverPassword = setup.value("receiver-password");
  const receiver = receiverUser && receiverPassword ? await connectReceiver({
    url: url.href, caPem, username: receiverUser, password: receiverPassword, accounts: [account], listener: landing, now, hold, trace,
  }) : undefined;
  if (!receiver) console.log("no --receiver-user/--receiver-password: nothing will acknowledge or land the logger's data");
  return {
    logger: make(pointedAt(setup.document, url.hostname, Number(url.port || 8883)), caPem), receiver: receiver?.receiver,
    where: `external broker ${url.host}`, close: async () => { await receiver?.close(); },
  };
}

interface Summary {
  totals: Totals;
  landing: LandingCounter;
  scheduler: Scheduler;
  wallMs: number;
  csvDir: string;
  logger: SimLogger;
}

function printSummary({ totals, landing, scheduler, wallMs, csvDir, logger }: Summary): void {
  const days = scheduler.now / DAY_MS;
  const perDay = (n: number) => (days > 0 ? n / days : 0);
  console.log([
    `simulated ${days.toFixed(2)} days in ${(wallMs / 1000).toFixed(1)} s (${(days / (wallMs / 1000)).toFixed(2)} device-days per second)`,
    `samples: ${totals.logged} logged, ${landing.samples} landed, ${landing.gaps} gaps (${landing.lostInGaps} records lost)`,
    `uplink: ${totals.sessions} sessions (${totals.failedSessions} failed), ${totals.packets} packets, ` +
      `${Math.round(perDay(totals.bytes))} bytes and ${perDay(totals.modemOnMs / 1000).toFixed(0)} modem-on seconds per day`,
    `CSV files in ${csvDir}`,
    `${logger.board.bootCount} boot(s), ${logger.board.crashes.length} crash(es), ${scheduler.executed} events`,
  ].join("\n"));
}
