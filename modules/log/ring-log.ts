/**
 * The logger's memory of every sample: a ring of flash sectors holding frames of samples, each
 * sample numbered by a 32-bit sequence number that the uplink carries end to end.
 *
 * Durability: `append` codes a sample into a RAM frame; the frame is programmed (one write) when
 * it is full, on `flush()`, or `autoFlush.afterMs` after its first sample. A record is durable once
 * its sequence number is at most `stats().newestSeq`; only durable records are ever read, sent or
 * acknowledged. See docs/log-format.md for the format and the power-cut argument.
 */
import type { HealthCounters } from "../health/counters.js";
import type { Flash } from "../platform/flash.js";
import type { TimerHandle, Timers } from "../platform/clock.js";
import { ByteWriter } from "../codec/byte-writer.js";
import type { Sample, SampleSink } from "../records/sample.js";
import { GapReason, type UplinkRecord } from "../uplink/records.js";
import { ACK_BODY, encodeAckBody, encodeGapBody, encodeHeaderBody, GAP_BODY, MAX_SEQ } from "./frame-bodies.js";
import { encodeFrame, frameSize, FrameType, MAX_FRAME_BODY, MAX_FRAME_SAMPLES, type ByteSource } from "./frames.js";
import { logGeometry, type LogGeometry } from "./log-geometry.js";
import { FirstSeqs, readRecords, type RingView } from "./log-reader.js";
import { inspectLog, type LossNote } from "./log-state.js";
import { encodeSample, sampleProblem, storedSample } from "./sample-codec.js";
import { readSectorHeader } from "./sector-reader.js";

/** What to do when the next sector still holds unacknowledged records. */
export type OverflowPolicy = "stop" | "drop-oldest";

export interface RingLogOptions {
  policy: OverflowPolicy;
  counters?: HealthCounters;
  /** Programs a frame this long after its first sample at the latest. */
  autoFlush?: { timers: Timers; afterMs: number };
}

export interface MountReport {
  /** No log was found (blank, foreign or unreadable flash): the first write starts one in sector 0. */
  empty: boolean;
  headSector: number | undefined;
  sectorsInRing: number;
  newestSeq: number;
  acked: number;
  /** A torn program followed the head's last valid frame: the rest of the head sector is left unused. */
  tornTail: boolean;
  /** Records missing with no durable explanation, now reported as a gap with reason Corrupt. */
  unexplained: { first: number; last: number } | undefined;
  bytesRead: number;
  /** One line per repair, for the trace. */
  repairs: string[];
}

export interface LogStats {
  sectors: number;
  sectorSize: number;
  sectorsInRing: number;
  /** Share of sectors holding unacknowledged records; at 1 the next sector change stops or drops. */
  fill: number;
  /** Oldest sequence number still stored, undefined when nothing is. */
  oldestStoredSeq: number | undefined;
  /** Newest durable sequence number (0: none). */
  newestSeq: number;
  /** Samples waiting in the RAM frame. */
  pending: number;
  acked: number;
  /** The acknowledged cursor as flash holds it: a power cut returns to here at worst. */
  durableAcked: number;
  sent: number;
  unsent: number;
  unacked: number;
  overwritten: number;
  refused: number;
}

const NO_SECTOR = -1;

export class RingLog implements SampleSink {
  readonly #flash: Flash;
  readonly #source: ByteSource;
  readonly #geometry: LogGeometry;
  readonly #policy: OverflowPolicy;
  readonly #counters: HealthCounters | undefined;
  readonly #autoFlush: RingLogOptions["autoFlush"];
  #bytesRead = 0;
  #head = NO_SECTOR;
  #headSectorSeq = 0;
  #headFirstSeq = 0;
  #headEnd = 0;
  #sealFree = false;
  #tail = 0;
  #tailFirstSeq = 0;
  #length = 0;
  #newestSeq = 0;
  #nextSeq = 1;
  #lastSeq = 0;
  #acked = 0;
  #durableAcked = 0;
  #sent = 0;
  #loss: LossNote = { reason: 0, time: 0 };
  #frame = new ByteWriter(MAX_FRAME_BODY);
  #frameCount = 0;
  #frameLast: Sample | undefined;
  #refused: { count: number; time: number } | undefined;
  #flushTimer: TimerHandle | undefined;
  #overwritten = 0;
  #refusedTotal = 0;

  /** Finds the log on `flash` and resumes it; never fails on any content, and writes nothing. */
  static mount(flash: Flash, options: RingLogOptions): { log: RingLog; report: MountReport } {
    const log = new RingLog(flash, options);
    return { log, report: log.#resume() };
  }

  private constructor(flash: Flash, options: RingLogOptions) {
    this.#flash = flash;
    this.#geometry = logGeometry(flash);
    this.#policy = options.policy;
    this.#counters = options.counters;
    this.#autoFlush = options.autoFlush;
    this.#source = { read: (offset, byteLength) => { this.#bytesRead += byteLength; return flash.read(offset, byteLength); } };
  }

  /** Sequence number given to the latest sample offered to `append`, stored or refused. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Takes a sample into the RAM frame and numbers it. Returns false when it is not stored: the
   * sample is invalid (counted as log.invalid_sample), or the log is full under the stop policy
   * (counted as log.refused; the number is used all the same and later shows as a LogFull gap).
   */
  append(sample: Sample): boolean {
    if (sampleProblem(sample) !== undefined) {
      this.#count("log.invalid_sample", 1);
      return false;
    }
    if (this.#nextSeq > MAX_SEQ) {
      this.#count("log.refused", 1);
      return false;
    }
    let bytes = encodeSample(sample, this.#frameLast);
    if (this.#refused || !this.#frameTakes(bytes.length)) {
      this.flush();
      bytes = encodeSample(sample, undefined);
      const needed = (this.#refused ? frameSize(GAP_BODY, this.#geometry.unit) : 0) + frameSize(bytes.length, this.#geometry.unit);
      if (this.#space() < needed && !this.#openNext(sample.time)) return this.#refuse(sample.time);
      this.#writeRefusedGap();
    }
    this.#frame.bytes(bytes);
    this.#frameCount++;
    this.#frameLast = storedSample(sample);
    this.#lastSeq = this.#nextSeq++;
    if (this.#frameCount === 1 && this.#autoFlush) {
      const { timers, afterMs } = this.#autoFlush;
      this.#flushTimer = timers.set(() => { this.#flushTimer = undefined; this.flush(); }, afterMs);
    }
    return true;
  }

  /** Programs the RAM frame, making every sample appended so far durable. */
  flush(): void {
    if (this.#flushTimer) this.#autoFlush?.timers.clear(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#frameCount === 0) return;
    this.#program(encodeFrame(FrameType.Samples, this.#frameCount, this.#frame.finish(), this.#geometry.unit));
    this.#newestSeq += this.#frameCount;
    this.#frame = new ByteWriter(MAX_FRAME_BODY);
    this.#frameCount = 0;
    this.#frameLast = undefined;
  }

  /** Up to `maxRecords` durable records from `fromSeq` on, in order, with gaps for what is gone. */
  read(fromSeq: number, maxRecords: number): UplinkRecord[] {
    return readRecords(this.#source, this.#view(), fromSeq, maxRecords);
  }

  /** Notes that records up to `seq` were handed to the uplink (kept in RAM only). */
  markSent(seq: number): void {
    this.#checkDurable(seq, "markSent");
    this.#sent = Math.max(this.#sent, seq);
  }

  /**
   * The server confirmed everything up to `seq`. Persisted with one small program when the head
   * has room for it; otherwise with the next sector header (durableAcked tells which).
   */
  ack(seq: number): void {
    this.#checkDurable(seq, "ack");
    if (seq <= this.#acked) return;
    this.#acked = seq;
    this.#sent = Math.max(this.#sent, seq);
    const unit = this.#geometry.unit;
    const pending = this.#frameCount ? frameSize(this.#frame.length, unit) : 0;
    if (this.#head !== NO_SECTOR && this.#headEnd + frameSize(ACK_BODY, unit) + pending <= this.#geometry.sealOffset) {
      this.#program(encodeFrame(FrameType.Ack, 0, encodeAckBody(seq), unit));
      this.#durableAcked = seq;
    }
  }

  stats(): LogStats {
    const view = this.#view();
    let fill = 0;
    if (this.#newestSeq > this.#acked && this.#length > 0) {
      const firstUnacked = this.#acked + 1;
      fill = (firstUnacked < this.#tailFirstSeq ? this.#length
        : this.#length - new FirstSeqs(this.#source, view).indexOf(firstUnacked)) / this.#geometry.sectors;
    }
    const sent = Math.max(this.#sent, this.#acked);
    return {
      sectors: this.#geometry.sectors,
      sectorSize: this.#geometry.sectorSize,
      sectorsInRing: this.#length,
      fill,
      oldestStoredSeq: this.#length && this.#tailFirstSeq <= this.#newestSeq ? this.#tailFirstSeq : undefined,
      newestSeq: this.#newestSeq,
      pending: this.#frameCount,
      acked: this.#acked,
      durableAcked: this.#durableAcked,
      sent,
      unsent: this.#newestSeq - sent,
      unacked: this.#newestSeq - this.#acked,
      overwritten: this.#overwritten,
      refused: this.#refusedTotal,
    };
  }

  #resume(): MountReport {
    const state = inspectLog(this.#source, this.#geometry);
    const ring = state.ring;
    const repairs: string[] = [];
    if (ring) {
      this.#head = ring.head;
      this.#headSectorSeq = ring.headHeader.sectorSeq;
      this.#headFirstSeq = ring.headHeader.firstSeq;
      this.#tail = ring.tail;
      this.#tailFirstSeq = ring.tailFirstSeq;
      this.#length = ring.length;
    }
    this.#headEnd = state.headEnd;
    this.#sealFree = state.sealFree;
    this.#newestSeq = state.newestSeq;
    this.#nextSeq = state.newestSeq + 1;
    this.#acked = this.#durableAcked = this.#sent = state.acked;
    this.#loss = state.loss;
    if (state.tornTail) {
      repairs.push(`sector ${ring?.head}: torn program after the last valid frame; the rest of the sector is left unused`);
      this.#count("log.torn_tail", 1);
    }
    if (state.unexplained) {
      const { first, last } = state.unexplained;
      repairs.push(`records ${first}..${last} are missing; reported as a corrupt gap`);
      this.#count("log.corrupt", last - first + 1);
    }
    return {
      empty: !ring,
      headSector: ring?.head,
      sectorsInRing: this.#length,
      newestSeq: this.#newestSeq,
      acked: this.#acked,
      tornTail: state.tornTail,
      unexplained: state.unexplained,
      bytesRead: this.#bytesRead,
      repairs,
    };
  }

  #view(): RingView {
    return {
      geometry: this.#geometry, tail: this.#tail, length: this.#length, tailFirstSeq: this.#tailFirstSeq,
      headFirstSeq: this.#headFirstSeq, headEnd: this.#headEnd, newestSeq: this.#newestSeq, acked: this.#acked, loss: this.#loss,
    };
  }

  #space(): number {
    return this.#head === NO_SECTOR ? 0 : this.#geometry.sealOffset - this.#headEnd;
  }

  #frameTakes(byteLength: number): boolean {
    const body = this.#frame.length + byteLength;
    return this.#head !== NO_SECTOR && this.#frameCount < MAX_FRAME_SAMPLES && body <= MAX_FRAME_BODY &&
      this.#headEnd + frameSize(body, this.#geometry.unit) <= this.#geometry.sealOffset;
  }

  #refuse(time: number): boolean {
    this.#refused ??= { count: 0, time };
    this.#refused.count++;
    this.#refusedTotal++;
    this.#lastSeq = this.#nextSeq++;
    this.#count("log.refused", 1);
    return false;
  }

  /** The sequence numbers refused while the log was full, as one durable gap frame. */
  #writeRefusedGap(): void {
    if (!this.#refused) return;
    const { count, time } = this.#refused;
    this.#program(encodeFrame(FrameType.Gap, 0, encodeGapBody({ lost: count, reason: GapReason.LogFull, time }), this.#geometry.unit));
    this.#newestSeq += count;
    this.#refused = undefined;
  }

  /**
   * Moves the head to the next sector. Erasing it loses its records, so first: under the stop
   * policy they must all be acknowledged; a pending ack is made durable in the seal slot; a drop
   * is noted so that the new header explains it.
   */
  #openNext(time: number): boolean {
    const { sectors, sectorSize, unit } = this.#geometry;
    const next = this.#head === NO_SECTOR ? 0 : (this.#head + 1) % sectors;
    const live = this.#length === sectors;
    const nextLast = live ? this.#firstSeqOf((next + 1) % sectors) - 1 : 0;
    const dropping = live && nextLast > this.#acked;
    if (dropping && this.#policy === "stop") return false;
    if (live && nextLast > this.#durableAcked) this.#sealAck();
    if (dropping) {
      const lost = nextLast - Math.max(this.#acked, this.#tailFirstSeq - 1);
      this.#overwritten += lost;
      this.#count("log.overwritten", lost);
      this.#loss = { reason: GapReason.Overwritten, time };
    }
    const tail = live ? (next + 1) % sectors : this.#length ? this.#tail : next;
    const tailFirstSeq = live ? nextLast + 1 : this.#length ? this.#tailFirstSeq : this.#newestSeq + 1;
    const hole = tailFirstSeq - 1 > this.#acked;
    const header = {
      sectorSeq: this.#headSectorSeq + 1,
      firstSeq: this.#newestSeq + 1,
      acked: this.#acked,
      lossEnd: tailFirstSeq - 1,
      lossReason: hole ? this.#loss.reason || GapReason.Corrupt : 0,
      lossTime: hole ? this.#loss.time : 0,
    };
    this.#flash.erase(next);
    this.#flash.write(next * sectorSize, encodeFrame(FrameType.Header, 0, encodeHeaderBody(header, this.#geometry.code), unit));
    this.#head = next;
    this.#headSectorSeq = header.sectorSeq;
    this.#headFirstSeq = header.firstSeq;
    this.#headEnd = this.#geometry.headerSlot;
    this.#sealFree = true;
    this.#tail = tail;
    this.#tailFirstSeq = tailFirstSeq;
    this.#length = live ? sectors : this.#length + 1;
    this.#durableAcked = this.#acked;
    return true;
  }

  /** Writes a pending ack into the head's seal slot, once per sector. */
  #sealAck(): void {
    if (this.#acked <= this.#durableAcked || !this.#sealFree) return;
    const bytes = encodeFrame(FrameType.Ack, 0, encodeAckBody(this.#acked), this.#geometry.unit);
    this.#flash.write(this.#head * this.#geometry.sectorSize + this.#geometry.sealOffset, bytes);
    this.#sealFree = false;
    this.#durableAcked = this.#acked;
  }

  #firstSeqOf(sector: number): number {
    if (sector === this.#head) return this.#headFirstSeq;
    return readSectorHeader(this.#source, this.#geometry, sector)?.firstSeq ?? this.#headFirstSeq;
  }

  /** Programs a frame at the head's end. */
  #program(bytes: Uint8Array): void {
    this.#flash.write(this.#head * this.#geometry.sectorSize + this.#headEnd, bytes);
    this.#headEnd += bytes.length;
  }

  #checkDurable(seq: number, what: string): void {
    if (!Number.isInteger(seq) || seq < 0 || seq > this.#newestSeq) {
      throw new RangeError(`log: ${what}(${seq}) is not a durable sequence number (newest is ${this.#newestSeq})`);
    }
  }

  #count(name: string, by: number): void {
    this.#counters?.increment(name, by);
  }
}
