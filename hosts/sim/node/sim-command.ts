/** `datalogger sim`: one simulated logger, in real time until Ctrl-C or for a span at any speed. */
import { webcrypto } from "node:crypto";
import { boot } from "../../../modules/main.js";
import { SimBoard } from "../board.js";
import { NorFlash } from "../nor-flash.js";
import { parseArgs } from "./args.js";
import { loadFlashImage, loadStorage, saveFlashImage, saveStorage } from "./flash-image.js";
import { parseDuration, parseSpeed, runPaced } from "./pacing.js";

const FLASH_BLOCKS = 256;
const BLOCK_SIZE = 4096;

export async function simCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args, ["for", "speed", "seed", "image"]);
  const spanMs = parsed.values.has("for") ? parseDuration(parsed.values.get("for")!) : Infinity;
  const speed = parseSpeed(parsed.values.get("speed") ?? "1");
  const seed = parsed.values.get("seed");
  const imagePath = parsed.values.get("image");
  const storagePath = imagePath ? `${imagePath}.storage.json` : undefined;

  const image = imagePath ? loadFlashImage(imagePath, FLASH_BLOCKS * BLOCK_SIZE) : undefined;
  const board = new SimBoard({
    name: "logger-1",
    seed,
    random: seed === undefined ? { getRandomValues: (bytes) => webcrypto.getRandomValues(bytes) } : undefined,
    flash: new NorFlash({ blocks: FLASH_BLOCKS, blockSize: BLOCK_SIZE, image }),
    storage: storagePath ? loadStorage(storagePath) : undefined,
    trace: (line) => console.log(`[${new Date(board.trueTime()).toISOString()}] ${line}`),
  });
  board.start(boot);
  const run = runPaced(board.scheduler, speed, spanMs);
  const stop = () => run.stop();
  process.once("SIGINT", stop);
  await run.done;
  process.off("SIGINT", stop);
  if (imagePath) saveFlashImage(imagePath, board.flash.image());
  if (storagePath) saveStorage(storagePath, board.storage);
  console.log(`simulated ${(board.scheduler.now / 3_600_000).toFixed(2)} h, ${board.scheduler.executed} events, ` +
    `${board.bootCount} boot(s), ${board.crashes.length} crash(es)`);
  return board.crashes.length ? 1 : 0;
}
