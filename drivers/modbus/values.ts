/**
 * Register contents as engineering values: int16/uint16/int32/uint32/float32 in the four word
 * orders meters use, then scale and offset. Bytes A B C D are the value big-endian; the order
 * names how they sit in the registers as received (CDAB: the low word first, common on meters).
 */
export type ModbusDataType = "int16" | "uint16" | "int32" | "uint32" | "float32";
export type WordOrder = "ABCD" | "CDAB" | "BADC" | "DCBA";

export const DATA_TYPES: readonly ModbusDataType[] = ["int16", "uint16", "int32", "uint32", "float32"];
export const WORD_ORDERS: readonly WordOrder[] = ["ABCD", "CDAB", "BADC", "DCBA"];

export function registerCount(type: ModbusDataType): 1 | 2 {
  return type === "int16" || type === "uint16" ? 1 : 2;
}

/** Positions in the received bytes of A, B, C, D (of A, B for one register). */
const WIRE_POSITIONS: Record<WordOrder, readonly number[]> = {
  ABCD: [0, 1, 2, 3],
  CDAB: [2, 3, 0, 1],
  BADC: [1, 0, 3, 2],
  DCBA: [3, 2, 1, 0],
};

function wireBytes(registers: readonly number[]): number[] {
  const bytes: number[] = [];
  for (const register of registers) bytes.push(register >>> 8, register & 0xff);
  return bytes;
}

/** The raw value of `registers` (1 or 2 of them, as received). */
export function decodeRegisters(registers: readonly number[], type: ModbusDataType, order: WordOrder): number {
  const wire = wireBytes(registers);
  const view = new DataView(new ArrayBuffer(4));
  const positions = registerCount(type) === 1 ? (order === "BADC" || order === "DCBA" ? [1, 0] : [0, 1]) : WIRE_POSITIONS[order];
  positions.forEach((position, i) => view.setUint8(i, wire[position]));
  switch (type) {
    case "int16": return view.getInt16(0);
    case "uint16": return view.getUint16(0);
    case "int32": return view.getInt32(0);
    case "uint32": return view.getUint32(0);
    case "float32": return view.getFloat32(0);
  }
}

/** The registers that hold `value` (already raw, before scale); the inverse of decodeRegisters. */
export function encodeRegisters(value: number, type: ModbusDataType, order: WordOrder): number[] {
  const view = new DataView(new ArrayBuffer(4));
  switch (type) {
    case "int16": view.setInt16(0, value); break;
    case "uint16": view.setUint16(0, value); break;
    case "int32": view.setInt32(0, value); break;
    case "uint32": view.setUint32(0, value); break;
    case "float32": view.setFloat32(0, value); break;
  }
  const count = registerCount(type);
  const positions = count === 1 ? (order === "BADC" || order === "DCBA" ? [1, 0] : [0, 1]) : WIRE_POSITIONS[order];
  const wire: number[] = [];
  positions.forEach((position, i) => { wire[position] = view.getUint8(i); });
  const registers: number[] = [];
  for (let i = 0; i < count; i++) registers.push((wire[2 * i] << 8) | wire[2 * i + 1]);
  return registers;
}

/** Where a value lives and how to read it. */
export interface ModbusPoint {
  unit: number;
  /** 3 (holding registers) or 4 (input registers). */
  function: 3 | 4;
  /** PDU register address (register "40001" is 0). */
  address: number;
  type: ModbusDataType;
  order: WordOrder;
  /** value = raw × scale + offset; 1 and 0 by default. */
  scale?: number;
  offset?: number;
}

export function pointValue(point: ModbusPoint, registers: readonly number[]): number {
  return decodeRegisters(registers, point.type, point.order) * (point.scale ?? 1) + (point.offset ?? 0);
}

export function checkPoint(point: ModbusPoint): string | undefined {
  if (point.function !== 3 && point.function !== 4) return `function ${String(point.function)} does not read registers`;
  if (DATA_TYPES.indexOf(point.type) < 0) return `type ${String(point.type)} is not one of ${DATA_TYPES.join(", ")}`;
  if (WORD_ORDERS.indexOf(point.order) < 0) return `word order ${String(point.order)} is not one of ${WORD_ORDERS.join(", ")}`;
  if (point.scale !== undefined && !Number.isFinite(point.scale)) return "scale must be a finite number";
  if (point.offset !== undefined && !Number.isFinite(point.offset)) return "offset must be a finite number";
  return undefined;
}
