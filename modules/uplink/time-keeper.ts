/**
 * Sets the logger's clock from the network's time (AT+QLTS, read by the modem session) and from
 * the server's time in acknowledgements, and re-stamps what was logged before the first setting.
 *
 * A logger whose clock was never set stamps its samples with time quality "unset". When the clock
 * is first set in such a boot, the offset it moved by is also the error of every record numbered
 * so far in this boot: that window is kept in storage (the log itself is never rewritten) and
 * applied to those records as they are sent, which then carry quality "rtc". Records of an
 * earlier boot with an unset clock keep their time: their clock's error is unknown.
 */
import type { Clock, KeyValueStore, TimeQuality } from "../platform/platform.js";
import { TIME_QUALITIES } from "../platform/clock.js";
import { SampleFlag, timeQualityFlags, timeQualityOf } from "../records/sample.js";
import type { UplinkRecord } from "./records.js";

export interface RestampWindow {
  firstSeq: number;
  lastSeq: number;
  offsetMs: number;
}

const WINDOWS_KEY = "upl.restamp";
const WINDOW_BYTES = 24;
/** Windows kept at most; an older one is dropped (its records then go out unstamped). */
const MAX_WINDOWS = 4;
/** A reading this close to the clock is not worth a jump in the log's timestamps. */
const TOLERANCE_MS: Record<TimeQuality, number> = { unset: 0, rtc: 0, network: 2000, server: 500 };
const WORSE_SOURCE_FACTOR = 10;

function rank(quality: TimeQuality): number {
  return TIME_QUALITIES.indexOf(quality);
}

export function encodeWindows(windows: readonly RestampWindow[]): Uint8Array {
  const bytes = new Uint8Array(windows.length * WINDOW_BYTES);
  const view = new DataView(bytes.buffer);
  windows.forEach((window, i) => {
    view.setFloat64(i * WINDOW_BYTES, window.firstSeq, true);
    view.setFloat64(i * WINDOW_BYTES + 8, window.lastSeq, true);
    view.setFloat64(i * WINDOW_BYTES + 16, window.offsetMs, true);
  });
  return bytes;
}

/** The stored windows; an unreadable entry counts as none (records then go out as logged). */
export function decodeWindows(bytes: Uint8Array | undefined): RestampWindow[] {
  if (!bytes || bytes.length % WINDOW_BYTES !== 0) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const windows: RestampWindow[] = [];
  for (let offset = 0; offset < bytes.length; offset += WINDOW_BYTES) {
    const window = { firstSeq: view.getFloat64(offset, true), lastSeq: view.getFloat64(offset + 8, true), offsetMs: view.getFloat64(offset + 16, true) };
    if (Number.isSafeInteger(window.firstSeq) && Number.isSafeInteger(window.lastSeq) && Number.isSafeInteger(window.offsetMs)) windows.push(window);
  }
  return windows;
}

/** The record as it is sent: moved by the window's offset when it was stamped by an unset clock inside it. */
export function restamp(record: UplinkRecord, windows: readonly RestampWindow[]): UplinkRecord {
  for (const window of windows) {
    if (record.seq < window.firstSeq || record.seq > window.lastSeq) continue;
    if (record.kind === "gap") return { ...record, time: Math.max(0, record.time + window.offsetMs) };
    const { sample } = record;
    if (timeQualityOf(sample.flags) !== "unset") return record;
    const flags = (sample.flags & ~SampleFlag.TimeQualityMask) | timeQualityFlags("rtc");
    return { kind: "sample", seq: record.seq, sample: { ...sample, time: Math.max(0, sample.time + window.offsetMs), flags } };
  }
  return record;
}

export class TimeKeeper {
  readonly #clock: Clock;
  readonly #storage: KeyValueStore;
  readonly #firstSeqOfBoot: number;
  #windows: RestampWindow[];
  #sets = 0;

  /** `firstSeqOfBoot`: the sequence number the log gives the first record of this boot. */
  constructor(clock: Clock, storage: KeyValueStore, firstSeqOfBoot: number) {
    this.#clock = clock;
    this.#storage = storage;
    this.#firstSeqOfBoot = firstSeqOfBoot;
    this.#windows = decodeWindows(storage.read(WINDOWS_KEY));
  }

  get windows(): readonly RestampWindow[] {
    return this.#windows;
  }

  /** How many times the clock was set in this boot. */
  get sets(): number {
    return this.#sets;
  }

  /**
   * The true time is `epochMs` now, as a source of `quality` says. Sets the clock when that is a
   * better source than the one it was set from, or when it is off by more than the source's
   * tolerance (ten times that for a lesser source). `lastSeq` is the last sequence number the log has given out. Returns the jump in ms
   * (0 when the clock was left alone).
   */
  observe(epochMs: number, quality: TimeQuality, lastSeq: number): number {
    const clock = this.#clock;
    const offset = Math.round(epochMs - clock.now());
    const better = rank(quality) > rank(clock.quality);
    // A lesser source than the clock was set from only corrects a clock that went far wrong.
    const limit = rank(quality) === rank(clock.quality) ? TOLERANCE_MS[quality] : WORSE_SOURCE_FACTOR * TOLERANCE_MS[quality];
    if (!better && Math.abs(offset) <= limit) return 0;
    if (clock.quality === "unset" && lastSeq >= this.#firstSeqOfBoot) {
      this.#windows = [...this.#windows, { firstSeq: this.#firstSeqOfBoot, lastSeq, offsetMs: offset }].slice(-MAX_WINDOWS);
      this.#save();
    }
    clock.setTime(clock.now() + offset, quality);
    this.#sets++;
    return offset;
  }

  /** Everything up to `seq` is acknowledged: windows wholly below it are no longer needed. */
  acknowledged(seq: number): void {
    const kept = this.#windows.filter((window) => window.lastSeq > seq);
    if (kept.length === this.#windows.length) return;
    this.#windows = kept;
    this.#save();
  }

  restamp(record: UplinkRecord): UplinkRecord {
    return this.#windows.length ? restamp(record, this.#windows) : record;
  }

  #save(): void {
    if (this.#windows.length) this.#storage.write(WINDOWS_KEY, encodeWindows(this.#windows));
    else this.#storage.delete(WINDOWS_KEY);
  }
}
