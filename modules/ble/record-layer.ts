/**
 * Encrypt-then-MAC records (docs/ble-session.md "Records"):
 *
 *   record = type (1) ‖ seq (4, LE) ‖ iv (16) ‖ AES-128-CBC-PKCS#7 ciphertext ‖ HMAC-SHA256 tag (32)
 *   tag    = HMAC(macKey, type ‖ seq ‖ iv ‖ ciphertext)
 *
 * Each direction has its own keys, type and counter from 0. The receiver checks the length, then
 * the MAC in constant time, and only then the type, the sequence number and the CBC padding, so
 * nothing about unauthenticated bytes reaches the decryptor. Replays, reordering and reflected
 * records fail the sequence, the type or the MAC.
 */
import { AES_BLOCK_BYTES, aes128CbcDecrypt, aes128CbcEncrypt } from "../crypto/aes-cbc.js";
import { concatBytes } from "../crypto/bytes.js";
import { CryptoError } from "../crypto/crypto-error.js";
import { hmacSha256, SHA256_BYTES, verifyHmacSha256 } from "../crypto/sha256.js";
import type { Random } from "../platform/platform.js";
import { MAX_MESSAGE_BYTES } from "./fragments.js";
import type { DirectionKeys } from "./key-schedule.js";
import { SessionError } from "./session-error.js";

const HEADER_BYTES = 5;
export const RECORD_OVERHEAD_BYTES = HEADER_BYTES + AES_BLOCK_BYTES + SHA256_BYTES;
const MIN_RECORD_BYTES = RECORD_OVERHEAD_BYTES + AES_BLOCK_BYTES;
/** Largest plaintext whose record still fits MAX_MESSAGE_BYTES (padding adds 1..16 bytes). */
export const MAX_RECORD_PLAINTEXT =
  Math.floor((MAX_MESSAGE_BYTES - RECORD_OVERHEAD_BYTES) / AES_BLOCK_BYTES) * AES_BLOCK_BYTES - 1;
const LAST_SEQUENCE = 0xffffffff;

export function sealRecord(keys: DirectionKeys, type: number, seq: number, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (plaintext.length > MAX_RECORD_PLAINTEXT) throw new RangeError(`record plaintext of ${plaintext.length} bytes exceeds ${MAX_RECORD_PLAINTEXT}`);
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = type;
  new DataView(header.buffer).setUint32(1, seq, true);
  const body = concatBytes(header, iv, aes128CbcEncrypt(keys.encKey, iv, plaintext));
  return concatBytes(body, hmacSha256(keys.macKey, body));
}

export function openRecord(keys: DirectionKeys, type: number, expectedSeq: number, record: Uint8Array): Uint8Array {
  const cipherBytes = record.length - RECORD_OVERHEAD_BYTES;
  if (record.length < MIN_RECORD_BYTES || record.length > MAX_MESSAGE_BYTES || cipherBytes % AES_BLOCK_BYTES !== 0) {
    throw new SessionError("length", `record of ${record.length} bytes`);
  }
  const body = record.subarray(0, record.length - SHA256_BYTES);
  if (!verifyHmacSha256(keys.macKey, body, record.subarray(body.length))) throw new SessionError("mac", "record MAC does not verify");
  if (record[0] !== type) throw new SessionError("type", `record type 0x${record[0].toString(16)}`);
  const seq = new DataView(record.buffer, record.byteOffset).getUint32(1, true);
  if (seq !== expectedSeq) throw new SessionError("sequence", `record ${seq} where ${expectedSeq} was due`);
  try {
    return aes128CbcDecrypt(keys.encKey, record.subarray(HEADER_BYTES, HEADER_BYTES + AES_BLOCK_BYTES), record.subarray(HEADER_BYTES + AES_BLOCK_BYTES, body.length));
  } catch (error) {
    if (error instanceof CryptoError) throw new SessionError("padding", error.message);
    throw error;
  }
}

/** One direction's sending side: numbers records from 0 and draws a fresh IV for each. */
export class RecordWriter {
  #seq = 0;

  constructor(readonly keys: DirectionKeys, readonly type: number, readonly random: Random) {}

  seal(plaintext: Uint8Array): Uint8Array {
    if (this.#seq > LAST_SEQUENCE) throw new SessionError("sequence", "send sequence exhausted");
    const iv = this.random.getRandomValues(new Uint8Array(AES_BLOCK_BYTES));
    return sealRecord(this.keys, this.type, this.#seq++, iv, plaintext);
  }
}

/** One direction's receiving side: accepts exactly the next record in order, once. */
export class RecordReader {
  #seq = 0;

  constructor(readonly keys: DirectionKeys, readonly type: number) {}

  open(record: Uint8Array): Uint8Array {
    if (this.#seq > LAST_SEQUENCE) throw new SessionError("sequence", "receive sequence exhausted");
    const plaintext = openRecord(this.keys, this.type, this.#seq, record);
    this.#seq++;
    return plaintext;
  }
}
