/**
 * The checksum Quectel's file commands report (`+QFUPL: <size>,<checksum>`): the XOR of the
 * data read as big-endian 16-bit words, an odd last byte taken as the high byte, printed as
 * lowercase hex without leading zeros.
 */
export function quectelChecksum(data: Uint8Array): string {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) {
    sum ^= (data[i] << 8) | (i + 1 < data.length ? data[i + 1] : 0);
  }
  return sum.toString(16);
}

export interface UploadReport {
  size: number;
  checksum: string;
}

export function parseUploadReport(line: string): UploadReport | undefined {
  const match = /^\+QFUPL: (\d+),([0-9A-Fa-f]+)$/.exec(line);
  if (!match) return undefined;
  return { size: Number(match[1]), checksum: match[2].toLowerCase().replace(/^0+(?=.)/, "") };
}
