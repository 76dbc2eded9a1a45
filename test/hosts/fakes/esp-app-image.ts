/**
 * Builds ESP-IDF application images as esptool's elf2image lays them out: a 24-byte header, the
 * segments (the first starting with esp_app_desc_t), the XOR checksum (seed 0xEF) in the last
 * byte of a 16-byte block, and the SHA-256 of all that. Test images only: the code is filler.
 */
import { sha256 } from "../../../modules/crypto/sha256.js";

export interface EspImageOptions {
  /** esp_app_desc_t.version, e.g. "1.2.0+sc2". */
  version: string;
  secureVersion?: number;
  projectName?: string;
  /** esp_chip_id_t; 0 = ESP32. */
  chipId?: number;
  /** Filler bytes after the description in the first segment (rounded up to 4). */
  payloadBytes?: number;
  hashAppended?: boolean;
  /** Varies the filler, so that two images of one version differ. */
  seed?: number;
}

function ascii(out: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
}

function segment(loadAddress: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, loadAddress, true);
  view.setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

export function buildEspAppImage(options: EspImageOptions): Uint8Array {
  const seed = options.seed ?? 1;
  const description = new Uint8Array(256);
  const desc = new DataView(description.buffer);
  desc.setUint32(0, 0xabcd5432, true);
  desc.setUint32(4, options.secureVersion ?? 0, true);
  ascii(description, 16, options.version);
  ascii(description, 48, options.projectName ?? "xs_esp32");
  ascii(description, 112, "v6.0");
  const payload = Uint8Array.from({ length: Math.ceil((options.payloadBytes ?? 200) / 4) * 4 }, (_, i) => (i * 31 + seed) & 0xff);
  const drom = new Uint8Array(description.length + payload.length);
  drom.set(description);
  drom.set(payload, description.length);
  const iram = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + seed) & 0xff);
  const segments = [segment(0x3f400020, drom), segment(0x40080000, iram)];

  const header = new Uint8Array(24);
  const head = new DataView(header.buffer);
  header[0] = 0xe9;
  header[1] = segments.length;
  header[2] = 2; // DIO
  header[3] = 0x20; // 8 MB, 40 MHz
  head.setUint32(4, 0x40080404, true);
  header[8] = 0xee;
  head.setUint16(12, options.chipId ?? 0, true);
  head.setUint16(17, 399, true);
  header[23] = options.hashAppended === false ? 0 : 1;

  const body = segments.reduce((length, s) => length + s.length, header.length);
  const padded = Math.ceil((body + 1) / 16) * 16;
  const image = new Uint8Array(padded + (header[23] === 1 ? 32 : 0));
  image.set(header);
  let at = header.length;
  let checksum = 0xef;
  for (const s of segments) {
    image.set(s, at);
    for (let i = 8; i < s.length; i++) checksum ^= s[i];
    at += s.length;
  }
  image[padded - 1] = checksum;
  if (header[23] === 1) image.set(sha256(image.subarray(0, padded)), padded);
  return image;
}
