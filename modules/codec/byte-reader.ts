/**
 * Reads what ByteWriter writes. Every read checks bounds and throws FormatError, so a decoder
 * fed truncated or hostile bytes fails cleanly instead of returning garbage.
 */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FormatError";
  }
}

export class ByteReader {
  #offset = 0;

  constructor(readonly bytes: Uint8Array) {}

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.bytes.length - this.#offset;
  }

  u8(): number {
    this.#need(1);
    return this.bytes[this.#offset++];
  }

  u32(): number {
    this.#need(4);
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset).getUint32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  f32(): number {
    this.#need(4);
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset).getFloat32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) {
        if (i > 0 && byte === 0) throw new FormatError("varint has a redundant zero byte");
        if (!Number.isSafeInteger(value)) throw new FormatError("varint exceeds 2^53");
        return value;
      }
      scale *= 0x80;
    }
    throw new FormatError("varint longer than 8 bytes");
  }

  svarint(): number {
    const zigzag = this.uvarint();
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }

  take(count: number): Uint8Array {
    this.#need(count);
    const out = this.bytes.subarray(this.#offset, this.#offset + count);
    this.#offset += count;
    return out;
  }

  #need(count: number): void {
    if (this.#offset + count > this.bytes.length) {
      throw new FormatError(`truncated: need ${count} byte(s) at offset ${this.#offset} of ${this.bytes.length}`);
    }
  }
}
