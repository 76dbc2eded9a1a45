/**
 * What the ring log promised, and the check that it kept its word after a power cut. The oracle
 * learns only from what the log reported before the cut (durable tail, durable ack) and from what
 * the test asked of it; after the cut it reads everything back from a freshly mounted log.
 *
 *   I1 every durable sample (seq <= durable tail before the cut, above the acked cursor) is read
 *      back, unless a gap the policy allows explains it;
 *   I2 a sample read back equals what was appended, as stored (value at float32);
 *   I3 sequence numbers strictly increase and cover the stream without holes; nothing is read
 *      that was never appended (no phantom);
 *   I4 the acked cursor never falls below the durable ack, never passes the durable tail, and
 *      is never one the server did not give;
 *   I5 mount returns, within its read budget;
 *   I6 the samples that were only in RAM when the cut came are read back all or none.
 */
import type { MountReport, OverflowPolicy, RingLog } from "../../modules/log/ring-log.js";
import { storedSample } from "../../modules/log/sample-codec.js";
import type { Sample } from "../../modules/records/sample.js";
import { GapReason, type UplinkRecord } from "../../modules/uplink/records.js";

export interface InFlight {
  /** Samples appended but not yet durable when the interrupted operation began. */
  pending: number[];
}

export class LogOracle {
  readonly violations: string[] = [];
  /** Samples the log numbered and may hold, by sequence number. */
  #samples = new Map<number, Sample>();
  #pending: number[] = [];
  /** Sequence numbers given to samples the log refused. */
  #refused = new Set<number>();
  #durable = 0;
  #durableAcked = 0;
  #maxAck = 0;
  #lastSeq = 0;
  #cuts = 0;

  constructor(private readonly policy: OverflowPolicy, private readonly readBudget: number) {}

  get durable(): number {
    return this.#durable;
  }

  /** Samples appended and not yet durable, in order. */
  pending(): number[] {
    while (this.#pending.length && this.#pending[0] <= this.#durable) this.#pending.shift();
    return this.#pending.slice();
  }

  appended(log: RingLog, sample: Sample, stored: boolean, label: string): void {
    if (log.lastSeq <= this.#lastSeq) this.#fail(label, `sequence number ${log.lastSeq} does not follow ${this.#lastSeq}`);
    this.#lastSeq = log.lastSeq;
    if (stored) {
      this.#samples.set(log.lastSeq, storedSample(sample));
      this.#pending.push(log.lastSeq);
    }
    else this.#refused.add(log.lastSeq);
    this.settled(log, label);
  }

  acking(seq: number): void {
    this.#maxAck = Math.max(this.#maxAck, seq);
  }

  /** After an operation that returned: the log's durability claims may only move forward. */
  settled(log: RingLog, label: string, flushed = false): void {
    const stats = log.stats();
    if (stats.newestSeq < this.#durable) this.#fail(label, `durable tail went back from ${this.#durable} to ${stats.newestSeq}`);
    if (stats.durableAcked < this.#durableAcked) this.#fail(label, `durable ack went back to ${stats.durableAcked}`);
    this.#durable = stats.newestSeq;
    this.#durableAcked = stats.durableAcked;
    if (flushed && (stats.pending !== 0 || this.pending().length !== 0)) {
      this.#fail(label, `flush left ${stats.pending} samples in RAM; not durable: ${this.pending().slice(0, 5).join(",")}`);
    }
  }

  /** Checks a freshly mounted log against the promises made before the cut, then adopts its state. */
  verifyRemount(log: RingLog, report: MountReport, inFlight: InFlight | undefined, label: string): void {
    if (inFlight) this.#cuts++;
    if (report.bytesRead > this.readBudget) this.#fail(label, `I5 mount read ${report.bytesRead} bytes, budget ${this.readBudget}`);
    const stats = log.stats();
    const acked = stats.acked;
    if (acked < this.#durableAcked) this.#fail(label, `I4 acked ${acked} is below the durable ack ${this.#durableAcked}`);
    if (acked > stats.newestSeq) this.#fail(label, `I4 acked ${acked} passes the durable tail ${stats.newestSeq}`);
    if (acked > Math.max(this.#durableAcked, this.#maxAck)) this.#fail(label, `I4 acked ${acked} was never acknowledged`);
    const records = log.read(1, Number.POSITIVE_INFINITY);
    const readable = this.#checkStream(records, acked, stats.newestSeq, label);
    for (const seq of this.#samples.keys()) {
      if (seq > acked && seq <= this.#durable && !readable.has(seq)) this.#fail(label, `I1 durable sample ${seq} is gone`);
    }
    const beyond = [...readable.keys()].filter((seq) => readable.get(seq) === "sample" && seq > this.#durable).sort((a, b) => a - b);
    const pending = inFlight?.pending ?? [];
    if (beyond.length && beyond.join() !== pending.join()) {
      this.#fail(label, `I6 samples ${beyond.join(",")} came back of the in-flight ${pending.join(",") || "none"}`);
    }
    this.#samples = new Map(records.flatMap((r) => (r.kind === "sample" ? [[r.seq, r.sample] as [number, Sample]] : [])));
    this.#pending = [];
    this.#refused = new Set([...this.#refused].filter((seq) => seq <= stats.newestSeq));
    this.#durable = stats.newestSeq;
    this.#durableAcked = stats.durableAcked;
    this.#lastSeq = stats.newestSeq;
  }

  /** I2, I3 and the legitimacy of every gap; returns how each covered seq is accounted for. */
  #checkStream(records: UplinkRecord[], acked: number, newest: number, label: string): Map<number, "sample" | "gap"> {
    const covered = new Map<number, "sample" | "gap">();
    let previousEnd = 0;
    for (const record of records) {
      const last = record.kind === "gap" ? record.seq + record.lost - 1 : record.seq;
      if (record.seq <= previousEnd) this.#fail(label, `I3 record ${record.seq} does not follow ${previousEnd}`);
      else if (previousEnd && record.seq !== previousEnd + 1) this.#fail(label, `I3 hole ${previousEnd + 1}..${record.seq - 1}`);
      previousEnd = last;
      if (record.kind === "sample") {
        const expected = this.#samples.get(record.seq);
        if (!expected) this.#fail(label, `I3 phantom sample ${record.seq}`);
        else if (!sameSample(expected, record.sample)) {
          this.#fail(label, `I2 sample ${record.seq} is ${JSON.stringify(record.sample)}, was ${JSON.stringify(expected)}`);
        }
        covered.set(record.seq, "sample");
      } else {
        this.#checkGap(record.seq, last, record.reason, acked, label);
        for (let seq = record.seq; seq <= last && seq <= this.#durable; seq++) covered.set(seq, "gap");
      }
    }
    const first = records.length ? records[0].seq : acked + 1;
    if (previousEnd !== newest && !(records.length === 0 && newest <= acked)) {
      this.#fail(label, `I3 records end at ${previousEnd}, durable tail is ${newest}`);
    }
    if (first > acked + 1) this.#fail(label, `I3 records start at ${first}, acked is ${acked}`);
    return covered;
  }

  #checkGap(first: number, last: number, reason: number, acked: number, label: string): void {
    const atHole = first === acked + 1;
    if (reason === GapReason.LogFull) {
      if (this.policy !== "stop") this.#fail(label, `LogFull gap ${first}..${last} under ${this.policy}`);
      for (let seq = first; seq <= last; seq++) {
        if (!this.#refused.has(seq)) { this.#fail(label, `LogFull gap covers ${seq}, which was not refused`); break; }
      }
    } else if (reason === GapReason.Overwritten) {
      if (this.policy !== "drop-oldest" || !atHole) this.#fail(label, `Overwritten gap ${first}..${last} (acked ${acked}, ${this.policy})`);
    } else if (reason === GapReason.Corrupt) {
      if (!atHole) this.#fail(label, `Corrupt gap ${first}..${last} inside the log (acked ${acked})`);
      // Under stop, records leave only when acknowledged, and the seal slot makes a pending ack
      // durable before the erase that relies on it: only a second cut (a torn seal) can lose
      // acknowledged records unexplained; unacknowledged ones never.
      if (this.policy === "stop" && this.#cuts < 2) this.#fail(label, `Corrupt gap ${first}..${last} after a single cut under stop`);
      if (this.policy === "stop") {
        for (let seq = first; seq <= last; seq++) {
          if (this.#samples.has(seq) && seq <= this.#durable && seq > this.#maxAck) {
            this.#fail(label, `Corrupt gap loses unacknowledged durable sample ${seq} under stop`);
            break;
          }
        }
      }
    } else this.#fail(label, `gap ${first}..${last} with unknown reason ${reason}`);
  }

  #fail(label: string, message: string): void {
    this.violations.push(`${label}: ${message}`);
  }
}

function sameSample(a: Sample, b: Sample): boolean {
  return a.channel === b.channel && a.time === b.time && a.flags === b.flags && Object.is(a.value, b.value);
}
