/**
 * The value encoding of the XS bridge (docs/xs-host.md, "Values"): a tag byte per value, integers
 * and lengths little-endian. Runs on both sides of the bridge, so it uses only what XS has.
 * Members are TypeScript-private rather than `#private`: every bridge call passes through here,
 * and the ES2020 bundle for XS would turn `#` members into WeakMap lookups.
 */

export type BridgeValue =
  | undefined
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly BridgeValue[]
  | { readonly [key: string]: BridgeValue };

export const Tag = {
  Undefined: 0x00,
  Null: 0x01,
  False: 0x02,
  True: 0x03,
  Int32: 0x04,
  Float64: 0x05,
  String: 0x06,
  Bytes: 0x07,
  Array: 0x08,
  Record: 0x09,
} as const;

export class BridgeCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BridgeCodecError";
  }
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export class BridgeWriter {
  private bytes = new Uint8Array(64);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  byte(value: number): this {
    this.reserve(1);
    this.bytes[this.length++] = value;
    return this;
  }

  value(value: BridgeValue): this {
    if (value === undefined) return this.byte(Tag.Undefined);
    if (value === null) return this.byte(Tag.Null);
    if (typeof value === "boolean") return this.byte(value ? Tag.True : Tag.False);
    if (typeof value === "number") return this.number(value);
    if (typeof value === "string") return this.byte(Tag.String).string(value);
    if (value instanceof Uint8Array) return this.byte(Tag.Bytes).uint32(value.length).raw(value);
    if (Array.isArray(value)) {
      const items = value as readonly BridgeValue[];
      this.byte(Tag.Array).uint32(items.length);
      for (const item of items) this.value(item);
      return this;
    }
    if (typeof value === "object" && !ArrayBuffer.isView(value)) {
      const keys = Object.keys(value);
      this.byte(Tag.Record).uint32(keys.length);
      for (const key of keys) this.string(key).value((value as Record<string, BridgeValue>)[key]);
      return this;
    }
    throw new BridgeCodecError(`cannot send ${describe(value)} across the XS bridge`);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private number(value: number): this {
    if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff && !Object.is(value, -0)) {
      this.byte(Tag.Int32).reserve(4);
      this.view.setInt32(this.length, value, true);
      this.length += 4;
      return this;
    }
    this.byte(Tag.Float64).reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  private string(value: string): this {
    const bytes = utf8Encoder.encode(value);
    return this.uint32(bytes.length).raw(bytes);
  }

  private uint32(value: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
    return this;
  }

  private raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + count) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

export class BridgeReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(): number {
    this.need(1);
    return this.bytes[this.at++];
  }

  value(): BridgeValue {
    const tag = this.byte();
    switch (tag) {
      case Tag.Undefined: return undefined;
      case Tag.Null: return null;
      case Tag.False: return false;
      case Tag.True: return true;
      case Tag.Int32: {
        this.need(4);
        const value = this.view.getInt32(this.at, true);
        this.at += 4;
        return value;
      }
      case Tag.Float64: {
        this.need(8);
        const value = this.view.getFloat64(this.at, true);
        this.at += 8;
        return value;
      }
      case Tag.String: return this.string();
      case Tag.Bytes: return this.raw(this.uint32());
      case Tag.Array: {
        const count = this.uint32();
        const items: BridgeValue[] = [];
        for (let i = 0; i < count; i++) items.push(this.value());
        return items;
      }
      case Tag.Record: {
        const count = this.uint32();
        const record: Record<string, BridgeValue> = {};
        for (let i = 0; i < count; i++) {
          const key = this.string();
          record[key] = this.value();
        }
        return record;
      }
      default:
        throw new BridgeCodecError(`unknown value tag 0x${tag.toString(16)} at byte ${this.at - 1}`);
    }
  }

  /** Every value left in the message. */
  rest(): BridgeValue[] {
    const values: BridgeValue[] = [];
    while (!this.done) values.push(this.value());
    return values;
  }

  private string(): string {
    return utf8Decoder.decode(this.raw(this.uint32()));
  }

  private uint32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  private raw(length: number): Uint8Array {
    this.need(length);
    const bytes = this.bytes.slice(this.at, this.at + length);
    this.at += length;
    return bytes;
  }

  private need(count: number): void {
    if (this.at + count > this.bytes.length) {
      throw new BridgeCodecError(`message truncated: ${count} more bytes needed at byte ${this.at} of ${this.bytes.length}`);
    }
  }
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} (only Uint8Array is carried)`;
  return `a ${typeof value}`;
}
