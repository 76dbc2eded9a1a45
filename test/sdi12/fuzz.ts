/**
 * Fuzzing the SDI-12 decoders with random and mutated frames: nothing may throw, and a decoder
 * may only produce values from a frame that an independent reference check accepts. A CRC-
 * protected frame changed by a burst of up to 16 bits must always be refused.
 */
import { equal, ok } from "../support/assert.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { appendSdi12Crc } from "../../drivers/sdi12/crc.js";
import {
  parseAddressReply, parseDataResponse, parseIdentification, parseMeasurementHeader, parseMetadata, responseText,
} from "../../drivers/sdi12/responses.js";
import { formatValue } from "../../drivers/sdi12/values.js";
import { ALL_MUTATIONS, BURST_MUTATIONS, mutate, randomBytes, sameBytes } from "./mutations.js";

const ALPHABET = "0123456789+-.\r\n0123456789+-.,;AZaz";

/** The SDI-12 CRC computed another way (table-driven), to check the decoder against. */
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  return c;
});
function referenceCrc(text: string): string {
  let crc = 0;
  for (let i = 0; i < text.length; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ text.charCodeAt(i)) & 0xff];
  return String.fromCharCode(0x40 | (crc >> 12), 0x40 | ((crc >> 6) & 0x3f), 0x40 | (crc & 0x3f));
}

const VALUE = /^[+-](?=(?:\.?\d){1,7}\.?$)\d*\.?\d*$/;
/** Whether `frame` is a well-formed a<values><CRC><CR><LF> from `address` with at most `max` value characters. */
function referenceAccepts(frame: Uint8Array, address: string, withCrc: boolean, max: number): boolean {
  const text = String.fromCharCode(...frame);
  if (!/^[\x20-\x7f]*\r\n$/.test(text)) return false;
  let body = text.slice(0, -2);
  if (withCrc) {
    if (body.length < 4 || referenceCrc(body.slice(0, -3)) !== body.slice(-3)) return false;
    body = body.slice(0, -3);
  }
  if (body[0] !== address || body.length - 1 > max) return false;
  const values = body.slice(1).match(/[+-][^+-]*/g) ?? [];
  return values.join("") === body.slice(1) && values.every((v) => VALUE.test(v) && v.length <= 9);
}

function decodeData(frame: Uint8Array, address: string, withCrc: boolean, max: number): number[] | undefined {
  const text = responseText(frame);
  if (!text.ok) return undefined;
  const parsed = parseDataResponse(text.value, address, withCrc, max);
  return parsed.ok ? parsed.value : undefined;
}

function validFrame(random: SeededRandom, withCrc: boolean): Uint8Array {
  const count = 1 + random.below(5);
  let body = "0";
  for (let i = 0; i < count; i++) body += formatValue((random.next() - 0.5) * 10 ** random.below(5), random.below(4));
  const line = (withCrc ? appendSdi12Crc(body) : body) + "\r\n";
  return Uint8Array.from(line, (c) => c.charCodeAt(0));
}

const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);
const encode = (line: string) => Uint8Array.from(line, (c) => c.charCodeAt(0));

/** Mutates a valid header, identification and CRC-protected metadata line; counts the frames tried. */
function fuzzOtherLines(random: SeededRandom, kind: (typeof ALL_MUTATIONS)[number]): number {
  const header = mutate(encode(`0${String(random.below(1000)).padStart(3, "0")}${String(random.below(100)).padStart(2, "0")}`), kind, random);
  const parsedHeader = parseMeasurementHeader(text(header), "0", "C");
  if (parsedHeader.ok) ok(/^0\d{5}$/.test(text(header)), text(header));
  const id = mutate(encode("014TERRASIMSP3   1.2SN00042"), kind, random);
  const parsedId = parseIdentification(text(id), "0");
  if (parsedId.ok) ok(id.length >= 20 && id.length <= 33 && id[0] === 0x30);
  const original = encode(appendSdi12Crc(`0,${["MW", "TS", "EC"][random.below(3)]},${["%", "C", "dS/m"][random.below(3)]};`));
  const metadata = mutate(original, kind, random);
  const parsedMetadata = parseMetadata(text(metadata), "0", true);
  if (BURST_MUTATIONS.indexOf(kind) >= 0 && !sameBytes(metadata, original)) equal(parsedMetadata.ok, false, `a ${kind} must break the CRC`);
  return 3;
}

export interface FuzzStats {
  frames: number;
  accepted: number;
}

/** `iterations` random and `iterations` mutated data frames, plus random lines for every other decoder. */
export function fuzzSdi12(iterations: number, seed: number): FuzzStats {
  const random = new SeededRandom(seed);
  let frames = 0;
  let accepted = 0;
  for (let i = 0; i < iterations; i++) {
    const withCrc = random.next() < 0.5;
    const frame = randomBytes(random, 90, ALPHABET);
    const values = decodeData(frame, "0", withCrc, 75);
    equal(values !== undefined, referenceAccepts(frame, "0", withCrc, 75), `random frame ${JSON.stringify(String.fromCharCode(...frame))}`);
    if (values) {
      accepted++;
      ok(values.every((v) => Number.isFinite(v) && Math.abs(v) < 1e8));
    }
    frames++;
    const text = String.fromCharCode(...frame);
    const header = parseMeasurementHeader(text, "0", "C");
    if (header.ok) ok(/^0\d{5}$/.test(text));
    const id = parseIdentification(text, "0");
    if (id.ok) ok(text.length >= 20 && text.length <= 33 && text[0] === "0");
    const meta = parseMetadata(text, "0", withCrc);
    if (meta.ok) ok(text.startsWith("0,") && meta.value.length >= 2);
    const reply = parseAddressReply(text);
    if (reply.ok) ok(text.length === 1);
  }
  for (let i = 0; i < iterations; i++) {
    const withCrc = random.next() < 0.7;
    const original = validFrame(random, withCrc);
    ok(decodeData(original, "0", withCrc, 75), "the unmutated frame decodes");
    const kind = ALL_MUTATIONS[random.below(ALL_MUTATIONS.length)];
    const mutated = mutate(original, kind, random);
    if (sameBytes(mutated, original)) continue;
    const values = decodeData(mutated, "0", withCrc, 75);
    frames++;
    equal(values !== undefined, referenceAccepts(mutated, "0", withCrc, 75), `${kind} of ${JSON.stringify(String.fromCharCode(...original))}`);
    if (withCrc && BURST_MUTATIONS.indexOf(kind) >= 0) equal(values, undefined, `a ${kind} must break the CRC`);
    if (values) accepted++;
    frames += fuzzOtherLines(random, kind);
  }
  return { frames, accepted };
}
