/**
 * Decoders for every SDI-12 response the recorder reads. They never throw: bytes from a sensor
 * are untrusted, and anything that does not match the grammar exactly is an error that the
 * caller turns into a retry, then a fault.
 */
import type { MeasurementKind } from "./commands.js";
import { isSdi12Address } from "./commands.js";
import { stripSdi12Crc } from "./crc.js";
import type { Parsed } from "../serial-port/parsed.js";
import { parseValues } from "./values.js";

const CR = 0x0d;
const LF = 0x0a;

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

/**
 * The text of one response line without its <CR><LF>. Characters must be printable ASCII; 0x7F
 * is allowed too because the last two CRC characters may be DEL (0x40 | 0x3F).
 */
export function responseText(bytes: Uint8Array): Parsed<string> {
  const n = bytes.length;
  if (n < 3 || bytes[n - 2] !== CR || bytes[n - 1] !== LF) return fail("response does not end with <CR><LF>");
  let text = "";
  for (let i = 0; i < n - 2; i++) {
    const code = bytes[i];
    if (code < 0x20 || code > 0x7f) return fail(`non-printable byte 0x${code.toString(16)} at ${i}`);
    text += String.fromCharCode(code);
  }
  return { ok: true, value: text };
}

function checkAddress(text: string, address: string): string | undefined {
  if (text[0] !== address) return `answer from address "${text[0]}" instead of "${address}"`;
  return undefined;
}

/** `a` alone: the reply to a!, ?!, aAb! and a service request. */
export function parseAddressReply(text: string, expected?: string): Parsed<string> {
  if (text.length !== 1 || !isSdi12Address(text)) return fail(`"${text}" is not an address reply`);
  if (expected !== undefined && text !== expected) return fail(`answer from address "${text}" instead of "${expected}"`);
  return { ok: true, value: text };
}

export interface Sdi12Identification {
  address: string;
  /** "13" for v1.3, "14" for v1.4. */
  sdi12Version: string;
  vendor: string;
  model: string;
  firmwareVersion: string;
  /** Up to 13 characters, often a serial number. */
  extra: string;
}

/** allccccccccmmmmmmvvvxxx..x (v1.3 §4.4.2). */
export function parseIdentification(text: string, address: string): Parsed<Sdi12Identification> {
  const wrong = checkAddress(text, address);
  if (wrong) return fail(wrong);
  if (text.length < 20 || text.length > 33) return fail(`identification of ${text.length} characters (20..33 expected)`);
  const sdi12Version = text.slice(1, 3);
  if (!/^[0-9]{2}$/.test(sdi12Version)) return fail(`SDI-12 version "${sdi12Version}" is not two digits`);
  return {
    ok: true,
    value: {
      address,
      sdi12Version,
      vendor: text.slice(3, 11).trim(),
      model: text.slice(11, 17).trim(),
      firmwareVersion: text.slice(17, 20).trim(),
      extra: text.slice(20).trim(),
    },
  };
}

export interface MeasurementHeader {
  /** Seconds until the data are ready (ttt). */
  seconds: number;
  /** How many values the measurement returns (n, nn or nnn). */
  count: number;
}

/** Digits of the count field: atttn (M, V), atttnn (C), atttnnn (HA). */
export function countDigits(kind: MeasurementKind): number {
  return kind === "C" ? 2 : kind === "HA" ? 3 : 1;
}

export function parseMeasurementHeader(text: string, address: string, kind: MeasurementKind): Parsed<MeasurementHeader> {
  const wrong = checkAddress(text, address);
  if (wrong) return fail(wrong);
  const digits = 3 + countDigits(kind);
  const body = text.slice(1);
  if (body.length !== digits || !/^[0-9]+$/.test(body)) return fail(`"${text}" does not match attt${"n".repeat(digits - 3)}`);
  return { ok: true, value: { seconds: Number(body.slice(0, 3)), count: Number(body.slice(3)) } };
}

/** Largest <values> field: 35 characters after M and V, 75 after C, R and HA (v1.3 §4.4.8). */
export function maxValuesCharacters(kind: MeasurementKind): number {
  return kind === "M" || kind === "V" ? 35 : 75;
}

/** The answer without its CRC, once the address and (when asked for) the CRC are right. */
function checkedBody(text: string, address: string, withCrc: boolean): Parsed<string> {
  const wrong = checkAddress(text, address);
  if (wrong) return fail(wrong);
  if (!withCrc) return { ok: true, value: text };
  const body = stripSdi12Crc(text);
  return body === undefined ? fail("CRC mismatch") : { ok: true, value: body };
}

/** a<values>[<CRC>]: the reply to aDn! and aRn!. */
export function parseDataResponse(text: string, address: string, withCrc: boolean, maxCharacters: number): Parsed<number[]> {
  const checked = checkedBody(text, address, withCrc);
  if (!checked.ok) return checked;
  const field = checked.value.slice(1);
  if (field.length > maxCharacters) return fail(`<values> of ${field.length} characters (at most ${maxCharacters})`);
  return parseValues(field);
}

/** v1.4 parameter metadata: a,<field1>,<field2>[,<more>];[<CRC>] (field1 is a SHEF code, field2 the units). */
export function parseMetadata(text: string, address: string, withCrc: boolean): Parsed<string[]> {
  const checked = checkedBody(text, address, withCrc);
  if (!checked.ok) return checked;
  const body = checked.value;
  if (body[1] !== "," || body[body.length - 1] !== ";") return fail(`"${text}" is not a,<field>,..; metadata`);
  const fields = body.slice(2, -1).split(",");
  if (fields.length < 2) return fail("metadata needs at least a SHEF code and units");
  return { ok: true, value: fields };
}
