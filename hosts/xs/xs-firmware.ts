/**
 * Runs a firmware inside the XS engine against a simulated board in Node. `XsFirmware.load`
 * bundles the firmware entry with the XS side of the bridge and starts a synchronous worker;
 * `firmware.boot` is then a `Firmware` like modules/main.ts's `boot`, to hand to
 * `SimBoard.start`: the board, its scheduler and every simulated peer stay in Node and behave
 * exactly as with a native firmware, while the firmware's code runs in XS.
 */
import { resolve } from "node:path";
import type { Platform } from "../../modules/platform/platform.js";
import type { Firmware } from "../sim/board.js";
import type { BridgeValue } from "./bridge/codec.js";
import { rebuildError } from "./bridge/errors.js";
import { answerRequest, decodeReply, Delivery, encodeCall, errorReply } from "./bridge/messages.js";
import { BoardSession } from "./board-session.js";
import { bundleSource, PROJECT_ROOT } from "./bundle.js";
import { answerService, type HostServices } from "./host-services.js";
import { XsSyncWorker } from "./sync-worker.js";
import type { XsMeter } from "./xsnap-protocol.js";

export interface XsFirmwareOptions {
  /** The module exporting the firmware entry; default modules/main.ts. */
  entry?: string;
  /** Its export called with the platform at every boot; default "boot". */
  exportName?: string;
  /** Names the worker in errors and output. */
  name?: string;
  meteringLimit?: number;
  /** Where console output from XS goes; default: our stderr. */
  onLog?: (level: string, text: string) => void;
}

/** XS metering summed over the deliveries the board made (boots, timers, IO and BLE events). */
export interface XsFirmwareMeter {
  /** Calls from the board into XS. */
  deliveries: number;
  /** Bridge requests the firmware made to the board. */
  requests: number;
  /** Metering steps of all deliveries; loading the bundle is in `load`. */
  compute: number;
  /** Heap slots in use after the latest delivery, and the most seen after any. */
  heapCount: number;
  peakHeapCount: number;
  allocate: number;
  /** What evaluating the bundle (module initialisation) cost. */
  load: XsMeter;
}

const IN_XS = resolve(PROJECT_ROOT, "hosts", "xs", "in-xs");

export class XsFirmware {
  readonly #worker: XsSyncWorker;
  readonly #onLog: (level: string, text: string) => void;
  readonly #meter: XsFirmwareMeter;
  /** The boot whose delivery is running: the firmware's requests meanwhile are its. */
  #active: BoardSession | undefined;
  #nextSession = 1;
  /**
   * Boots the board can no longer call back (it dropped every callback of theirs): XS may drop
   * their sessions too. Learnt from the garbage collector, told to XS before the next delivery.
   */
  readonly #forgotten: number[] = [];
  readonly #unreachable = new FinalizationRegistry<number>((id) => this.#forgotten.push(id));

  /** Bundles the firmware for XS and loads it into a new worker. */
  static async load(options: XsFirmwareOptions = {}): Promise<XsFirmware> {
    const entry = resolve(PROJECT_ROOT, options.entry ?? "modules/main.ts");
    const exportName = options.exportName ?? "boot";
    const source = [
      `import ${JSON.stringify(resolve(IN_XS, "prelude.ts"))};`,
      `import { serveFirmware } from ${JSON.stringify(resolve(IN_XS, "firmware-server.ts"))};`,
      `import { ${exportName} as firmware } from ${JSON.stringify(entry)};`,
      `serveFirmware(firmware);`,
    ].join("\n");
    const bundle = await bundleSource(source, `${entry}#${exportName}`);
    return new XsFirmware(bundle, options);
  }

  private constructor(bundle: string, options: XsFirmwareOptions) {
    this.#onLog = options.onLog ?? ((level, text) => process.stderr.write(`[xs ${level}] ${text}\n`));
    this.#worker = new XsSyncWorker({
      name: options.name ?? "firmware",
      meteringLimit: options.meteringLimit,
      onQuery: (request) => this.#answer(request),
    });
    // Module initialisation may already ask the host (a log line), so the meter exists first.
    this.#meter = { deliveries: 0, requests: 0, compute: 0, heapCount: 0, peakHeapCount: 0, allocate: 0, load: { compute: 0, heapCount: 0, allocate: 0 } };
    const load = this.#worker.evaluate(bundle).meter;
    Object.assign(this.#meter, { heapCount: load.heapCount, peakHeapCount: load.heapCount, allocate: load.allocate, load });
  }

  /** The firmware entry for `SimBoard.start`; one board per XsFirmware (one XS machine). */
  readonly boot: Firmware = (platform: Platform) => {
    const id = this.#nextSession++;
    const session: BoardSession = new BoardSession(platform, (code, args) => this.#deliver(session, code, [id, ...args]), this.#onLog);
    this.#unreachable.register(session, id);
    this.#deliver(session, Delivery.Boot, [id, ...session.bootArguments()]);
  };

  get meter(): Readonly<XsFirmwareMeter> {
    return { ...this.#meter };
  }

  close(): void {
    this.#worker.close();
  }

  /** Calls into XS for `session`, which answers the requests the firmware makes meanwhile. */
  #deliver(session: BoardSession, code: number, args: readonly BridgeValue[]): void {
    if (this.#forgotten.length) this.#issue(Delivery.Forget, [this.#forgotten.splice(0)]);
    this.#active = session;
    this.#meter.deliveries++;
    try {
      this.#issue(code, args);
    } finally {
      this.#active = undefined;
    }
  }

  #issue(code: number, args: readonly BridgeValue[]): void {
    const result = this.#worker.issueCommand(encodeCall(code, args));
    const meter = this.#meter;
    meter.compute += result.meter.compute;
    meter.heapCount = result.meter.heapCount;
    meter.peakHeapCount = Math.max(meter.peakHeapCount, result.meter.heapCount);
    meter.allocate = result.meter.allocate;
    const reply = decodeReply(result.reply);
    if (!reply.ok) throw rebuildError(reply.name, reply.message);
  }

  #answer(request: Uint8Array): Uint8Array {
    this.#meter.requests++;
    const session = this.#active;
    return answerRequest(request, (call) => session?.answer(call) ?? answerService(call, this.#servicesBeforeBoot) ??
      errorReply(new Error("the board has not booted the firmware yet")));
  }

  /** Module initialisation may log; randomness belongs to the board, which has not booted yet. */
  readonly #servicesBeforeBoot: HostServices = {
    log: (level, text) => this.#onLog(level, text),
    random: () => { throw new Error("no CSPRNG before the board boots the firmware"); },
  };
}
