/**
 * The SDI-12 CRC (v1.3 §4.4.12): CRC-16 with the reflected polynomial 0xA001 and initial value 0,
 * over the response from the address up to the CRC, sent as three characters 0x40 | 6 bits.
 */
export function sdi12Crc16(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) & 0xff;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function encodeSdi12Crc(crc: number): string {
  return String.fromCharCode(0x40 | (crc >>> 12), 0x40 | ((crc >>> 6) & 0x3f), 0x40 | (crc & 0x3f));
}

/** The response body (without <CR><LF>) with its three CRC characters appended. */
export function appendSdi12Crc(body: string): string {
  return body + encodeSdi12Crc(sdi12Crc16(body));
}

/** The body without its CRC when the CRC is right, otherwise undefined. */
export function stripSdi12Crc(bodyWithCrc: string): string | undefined {
  if (bodyWithCrc.length < 4) return undefined;
  const body = bodyWithCrc.slice(0, -3);
  return encodeSdi12Crc(sdi12Crc16(body)) === bodyWithCrc.slice(-3) ? body : undefined;
}
