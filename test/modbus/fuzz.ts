/**
 * Fuzzing the Modbus RTU decoders: random frames may only decode when an independent check
 * (table-driven CRC, lengths from the request) accepts them, and every mutation of a valid
 * response is refused, since the length is fixed by the request and the CRC catches the rest.
 */
import { equal, ok } from "../support/assert.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { type ModbusReply, type ModbusRequest, decodeRequest, decodeResponse, encodeResponse } from "../../drivers/modbus/frames.js";
import { ALL_MUTATIONS, mutate, randomBytes, sameBytes } from "../sdi12/mutations.js";

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  return c;
});
function referenceCrcOk(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  let crc = 0xffff;
  for (let i = 0; i < frame.length - 2; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ frame[i]) & 0xff];
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >> 8;
}

function referenceAccepts(frame: Uint8Array, request: ModbusRequest): boolean {
  if (!referenceCrcOk(frame) || frame[0] !== request.unit) return false;
  if (frame[1] === (request.function | 0x80)) return frame.length === 5;
  if (frame[1] !== request.function) return false;
  if (request.function === 3 || request.function === 4) return frame.length === 5 + 2 * request.count && frame[2] === 2 * request.count;
  if (frame.length !== 8 || ((frame[2] << 8) | frame[3]) !== request.address) return false;
  const echoed = (frame[4] << 8) | frame[5];
  if (request.function === 6) return echoed === request.value;
  return request.function === 16 && echoed === request.values.length;
}

function randomRequest(random: SeededRandom): ModbusRequest {
  const unit = 1 + random.below(3);
  const address = random.below(4);
  switch (random.below(4)) {
    case 0: return { unit, function: 3, address, count: 1 + random.below(3) };
    case 1: return { unit, function: 4, address, count: 1 + random.below(3) };
    case 2: return { unit, function: 6, address, value: random.below(3) };
    default: return { unit, function: 16, address, values: Array.from({ length: 1 + random.below(2) }, () => random.below(65536)) };
  }
}

function replyFor(request: ModbusRequest, random: SeededRandom): ModbusReply {
  if (random.next() < 0.2) return { kind: "exception", code: 1 + random.below(11) };
  if (request.function === 3 || request.function === 4) {
    return { kind: "registers", registers: Array.from({ length: request.count }, () => random.below(65536)) };
  }
  return { kind: "written", address: request.address, count: request.function === 16 ? request.values.length : 1 };
}

export function fuzzModbus(iterations: number, seed: number): { frames: number; accepted: number } {
  const random = new SeededRandom(seed);
  let frames = 0;
  let accepted = 0;
  for (let i = 0; i < iterations; i++) {
    const request = randomRequest(random);
    // Short random frames starting like an answer, so that some pass the CRC by chance of construction.
    const frame = random.next() < 0.5 ? randomBytes(random, 12) : Uint8Array.of(request.unit, request.function, ...randomBytes(random, 8));
    const decoded = decodeResponse(frame, request);
    equal(decoded.ok, referenceAccepts(frame, request), `random frame ${Array.from(frame).join(",")}`);
    const asRequest = decodeRequest(frame);
    if (asRequest.ok) ok(referenceCrcOk(frame));
    frames++;
    if (decoded.ok) accepted++;
  }
  for (let i = 0; i < iterations; i++) {
    const request = randomRequest(random);
    const original = encodeResponse(request, replyFor(request, random));
    ok(decodeResponse(original, request).ok, "the unmutated answer decodes");
    const kind = ALL_MUTATIONS[random.below(ALL_MUTATIONS.length)];
    const mutated = mutate(original, kind, random);
    if (sameBytes(mutated, original)) continue;
    frames++;
    const decoded = decodeResponse(mutated, request);
    equal(decoded.ok, false, `${kind} of ${Array.from(original).join(",")} must be refused`);
  }
  return { frames, accepted };
}
