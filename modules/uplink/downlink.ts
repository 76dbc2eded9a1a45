/**
 * What the server sends the logger (docs/downlink-format.md): the acknowledgement of an uplink
 * packet (which also carries the server's time, the logger's time correction), a configuration
 * change, a firmware-update notice. One payload holds
 * one or more messages, each with its kind and length, so a logger skips a kind it does not know
 * and still reads the rest. This file holds the one encoder and the one decoder of the format.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import { readEntries, writeEntry } from "./entries.js";
import { CHECK_BYTES, seal, unseal } from "./sealed.js";

export const DOWNLINK_VERSION = 1;
/** Kept well under what one MQTT message or HTTPS answer brings the modem. */
export const MAX_DOWNLINK_BYTES = 8192;
const ACKED_PRESENT = 0x01;

const KIND_CODES = Object.freeze({ ack: 1, config: 2, update: 3 });

export interface AckMessage {
  kind: "ack";
  /** First sequence number of the packet this answers. */
  answers: number;
  /** Highest sequence number up to which the server holds everything; undefined before it holds any. */
  acked: number | undefined;
  /** The server's clock when it answered, ms since the epoch. */
  serverTime: number;
}

export interface ConfigMessage {
  kind: "config";
  /** The configuration version the change makes; also named in the "version" key of the document. */
  version: number;
  /** JSON text: the top-level sections of the configuration document that change. */
  document: string;
}

export interface UpdateMessage {
  kind: "update";
  /** An update notice (modules/ota/notice.ts), passed on untouched. */
  notice: Uint8Array;
}

/** A message of a kind this firmware does not know: skipped, and reported. */
export interface UnknownMessage {
  kind: "unknown";
  code: number;
}

export type DownlinkMessage = AckMessage | ConfigMessage | UpdateMessage | UnknownMessage;
export type KnownDownlink = Exclude<DownlinkMessage, UnknownMessage>;

const utf8 = new TextEncoder();
const text = new TextDecoder();

function encodeBody(message: KnownDownlink): Uint8Array {
  const out = new ByteWriter(32);
  switch (message.kind) {
    case "ack":
      out.u8(message.acked === undefined ? 0 : ACKED_PRESENT);
      out.u32(message.answers);
      if (message.acked !== undefined) out.u32(message.acked);
      out.uvarint(message.serverTime);
      break;
    case "config":
      out.uvarint(message.version);
      out.bytes(utf8.encode(message.document));
      break;
    case "update":
      out.bytes(message.notice);
      break;
  }
  return out.finish();
}

export function encodeDownlink(messages: readonly KnownDownlink[]): Uint8Array {
  const out = new ByteWriter(64);
  out.u8(DOWNLINK_VERSION);
  for (const message of messages) writeEntry(out, KIND_CODES[message.kind], encodeBody(message));
  const payload = seal(out.finish());
  if (payload.length > MAX_DOWNLINK_BYTES) throw new RangeError(`downlink of ${payload.length} bytes exceeds ${MAX_DOWNLINK_BYTES}`);
  return payload;
}

function decodeBody(code: number, body: ByteReader): DownlinkMessage {
  switch (code) {
    case KIND_CODES.ack: {
      const flags = body.u8();
      if (flags & ~ACKED_PRESENT) throw new FormatError("unknown ack flags");
      const answers = body.u32();
      const acked = flags & ACKED_PRESENT ? body.u32() : undefined;
      return { kind: "ack", answers, acked, serverTime: body.uvarint() };
    }
    case KIND_CODES.config: {
      const version = body.uvarint();
      if (version < 1) throw new FormatError("configuration version 0");
      return { kind: "config", version, document: text.decode(body.take(body.remaining)) };
    }
    case KIND_CODES.update:
      return { kind: "update", notice: body.take(body.remaining).slice() };
    default:
      body.take(body.remaining);
      return { kind: "unknown", code };
  }
}

/** Throws FormatError for a payload that is not exactly a well-formed downlink. */
export function decodeDownlink(payload: Uint8Array): DownlinkMessage[] {
  if (payload.length < CHECK_BYTES + 1) throw new FormatError("downlink shorter than its version and check value");
  if (payload.length > MAX_DOWNLINK_BYTES) throw new FormatError(`downlink of ${payload.length} bytes exceeds ${MAX_DOWNLINK_BYTES}`);
  const input = new ByteReader(unseal(payload, "downlink"));
  const version = input.u8();
  if (version !== DOWNLINK_VERSION) throw new FormatError(`unknown downlink version ${version}`);
  return readEntries(input, decodeBody);
}
