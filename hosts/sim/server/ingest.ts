/**
 * The server's side of store-and-forward: decodes uplink packets, stores each sequence number
 * once, and computes the acknowledgement — the highest sequence number up to which everything
 * the device ever numbered is stored (samples, or gaps that explain their absence). Re-sent and
 * out-of-order packets are harmless: storage is keyed by sequence number.
 */
import { decodePacket } from "../../../modules/uplink/packet.js";
import type { GapRecord, SampleRecord, UplinkRecord } from "../../../modules/uplink/records.js";

export interface DeviceLedger {
  /** First sequence number of the device's log, learnt from its first consecutive packet. */
  start: number | undefined;
  /** Highest sequence number with everything from `start` to it stored; undefined before any. */
  acked: number | undefined;
  stored: Map<number, UplinkRecord>;
  duplicates: number;
}

export interface IngestResult {
  deviceId: number;
  /** The packet's first sequence number (0 for an empty packet): what its acknowledgement answers. */
  firstSeq: number;
  /** Records stored for the first time, in sequence order. */
  fresh: UplinkRecord[];
  duplicates: number;
  acked: number | undefined;
}

export interface IngestListener {
  onSample?(deviceId: number, record: SampleRecord): void;
  onGap?(deviceId: number, record: GapRecord): void;
}

export class Ingest {
  readonly devices = new Map<number, DeviceLedger>();

  constructor(private readonly listener: IngestListener = {}) {}

  /** Throws FormatError for a packet that does not decode; stores nothing from it then. */
  receive(expectedDeviceId: number, packet: Uint8Array): IngestResult {
    const decoded = decodePacket(packet);
    if (decoded.deviceId !== expectedDeviceId) {
      throw new Error(`packet names device ${decoded.deviceId}, sent by device ${expectedDeviceId}`);
    }
    const ledger = this.#ledger(decoded.deviceId);
    if (!decoded.sparse && decoded.records.length && ledger.start === undefined) {
      ledger.start = decoded.records[0].seq;
    }
    const fresh: UplinkRecord[] = [];
    let duplicates = 0;
    for (const record of decoded.records) {
      if (ledger.stored.has(record.seq)) {
        duplicates++;
        continue;
      }
      ledger.stored.set(record.seq, record);
      fresh.push(record);
      if (record.kind === "sample") this.listener.onSample?.(decoded.deviceId, record);
      else this.listener.onGap?.(decoded.deviceId, record);
    }
    ledger.duplicates += duplicates;
    this.#advance(ledger);
    return { deviceId: decoded.deviceId, firstSeq: decoded.records[0]?.seq ?? 0, fresh, duplicates, acked: ledger.acked };
  }

  #ledger(deviceId: number): DeviceLedger {
    let ledger = this.devices.get(deviceId);
    if (!ledger) {
      ledger = { start: undefined, acked: undefined, stored: new Map(), duplicates: 0 };
      this.devices.set(deviceId, ledger);
    }
    return ledger;
  }

  #advance(ledger: DeviceLedger): void {
    if (ledger.start === undefined) return;
    let next = ledger.acked === undefined ? ledger.start : (ledger.acked + 1) >>> 0;
    for (;;) {
      const record = ledger.stored.get(next);
      if (!record) break;
      const last = record.kind === "gap" ? (record.seq + record.lost - 1) >>> 0 : record.seq;
      ledger.acked = last;
      next = (last + 1) >>> 0;
    }
  }
}
