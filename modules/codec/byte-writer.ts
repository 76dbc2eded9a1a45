/**
 * Growable byte buffer with the primitive encodings our wire formats use. Little-endian
 * throughout; varints are LEB128 (7 bits per byte, low group first).
 */
export class ByteWriter {
  #bytes: Uint8Array;
  #length = 0;

  constructor(initialCapacity = 256) {
    this.#bytes = new Uint8Array(initialCapacity);
  }

  get length(): number {
    return this.#length;
  }

  u8(value: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = value & 0xff;
  }

  u32(value: number): void {
    this.#reserve(4);
    new DataView(this.#bytes.buffer).setUint32(this.#length, value >>> 0, true);
    this.#length += 4;
  }

  f32(value: number): void {
    this.#reserve(4);
    new DataView(this.#bytes.buffer).setFloat32(this.#length, value, true);
    this.#length += 4;
  }

  /** Unsigned LEB128, for integers up to 2^53. */
  uvarint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`uvarint out of range: ${value}`);
    while (value >= 0x80) {
      this.u8((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.u8(value);
  }

  /** Signed integer, zigzag-mapped so that small magnitudes of either sign stay short. */
  svarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`svarint out of range: ${value}`);
    this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  bytes(data: Uint8Array): void {
    this.#reserve(data.length);
    this.#bytes.set(data, this.#length);
    this.#length += data.length;
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  #reserve(count: number): void {
    if (this.#length + count <= this.#bytes.length) return;
    let capacity = this.#bytes.length * 2;
    while (capacity < this.#length + count) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}
