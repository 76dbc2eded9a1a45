/**
 * Binary encoding of InstallerStatus and SiteCheckResult inside session records
 * (docs/ble-session.md "Status"). Little-endian and LEB128 varints like the other wire formats
 * (modules/codec). Numbers are scaled to integers at the precision an installer reads them; a
 * presence bitmap marks the ones that are known.
 */
import { ByteReader, FormatError } from "../codec/byte-reader.js";
import { ByteWriter } from "../codec/byte-writer.js";
import type { Sample } from "../records/sample.js";
import type {
  InstallerStatus, RadioSignal, RadioTechnology, Registration, SiteCheckResult, TransmissionResult,
} from "./installer-status.js";

export const MAX_STATUS_SENSORS = 32;
export const MAX_SITE_CHECK_RADIOS = 4;
export const MAX_FIRMWARE_VERSION_BYTES = 32;

const TECHNOLOGIES: readonly RadioTechnology[] = ["none", "lte-m", "nb-iot", "gsm"];
const REGISTRATIONS: readonly Registration[] = ["unknown", "not-registered", "searching", "home", "roaming", "denied"];
const RESULTS: readonly TransmissionResult[] = ["none", "ok", "failed"];

/** Presence bits of the status' optional numbers, in encoding order. */
const Known = Object.freeze({
  battery: 0x01,
  temperature: 0x02,
  humidity: 0x04,
  lastTransmissionTime: 0x08,
  logFill: 0x10,
  unsent: 0x20,
});
const KNOWN_MASK = 0x3f;

function known(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}

function unsignedScaled(value: number, scale: number): number {
  return Math.max(0, Math.round(value * scale));
}

function enumCode<T>(names: readonly T[], value: T): number {
  const code = names.indexOf(value);
  if (code < 0) throw new RangeError(`unknown value ${String(value)}`);
  return code;
}

function enumName<T>(names: readonly T[], code: number, what: string): T {
  if (code >= names.length) throw new FormatError(`${what} code ${code} is unknown`);
  return names[code];
}

function writeF64(writer: ByteWriter, value: number): void {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  writer.bytes(bytes);
}

function readF64(reader: ByteReader): number {
  const bytes = reader.take(8);
  return new DataView(bytes.buffer, bytes.byteOffset).getFloat64(0, true);
}

function writeRadio(writer: ByteWriter, radio: RadioSignal): void {
  writer.u8(enumCode(TECHNOLOGIES, radio.technology));
  writer.u8(enumCode(REGISTRATIONS, radio.registration));
  const hasRssi = known(radio.rssiDbm);
  writer.u8(hasRssi ? 1 : 0);
  if (hasRssi) writer.svarint(Math.round(radio.rssiDbm!));
}

function readRadio(reader: ByteReader): RadioSignal {
  const technology = enumName(TECHNOLOGIES, reader.u8(), "radio technology");
  const registration = enumName(REGISTRATIONS, reader.u8(), "registration");
  const hasRssi = reader.u8();
  if (hasRssi > 1) throw new FormatError(`rssi presence ${hasRssi}`);
  return { technology, registration, rssiDbm: hasRssi ? reader.svarint() : null };
}

function finished<T>(reader: ByteReader, value: T): T {
  if (reader.remaining !== 0) throw new FormatError(`${reader.remaining} trailing byte(s)`);
  return value;
}

/** Keeps the first MAX_STATUS_SENSORS channels and MAX_FIRMWARE_VERSION_BYTES of the version. */
export function encodeStatus(status: InstallerStatus): Uint8Array {
  const writer = new ByteWriter(128);
  const optional: Array<[number, number | null, (value: number) => void]> = [
    [Known.battery, status.batteryV, (v) => writer.uvarint(unsignedScaled(v, 1000))],
    [Known.temperature, status.internalTemperatureC, (v) => writer.svarint(Math.round(v * 10))],
    [Known.humidity, status.internalHumidityPct, (v) => writer.uvarint(unsignedScaled(v, 10))],
    [Known.lastTransmissionTime, status.lastTransmission.timeMs, (v) => writer.uvarint(unsignedScaled(v, 1))],
    [Known.logFill, status.log.fillPct, (v) => writer.uvarint(unsignedScaled(v, 10))],
    [Known.unsent, status.log.unsent, (v) => writer.uvarint(unsignedScaled(v, 1))],
  ];
  let presence = 0;
  for (const [bit, value] of optional) if (known(value)) presence |= bit;
  writer.u8(presence);
  for (const [bit, value, write] of optional) if (presence & bit) write(value!);
  writeRadio(writer, status.signal);
  writer.u8(enumCode(RESULTS, status.lastTransmission.result));
  const version = new TextEncoder().encode(status.firmwareVersion).subarray(0, MAX_FIRMWARE_VERSION_BYTES);
  writer.u8(version.length);
  writer.bytes(version);
  const sensors = status.sensors.slice(0, MAX_STATUS_SENSORS);
  writer.u8(sensors.length);
  for (const sample of sensors) {
    writer.uvarint(sample.channel);
    writer.uvarint(unsignedScaled(sample.time, 1));
    writeF64(writer, sample.value);
    writer.u8(sample.flags);
  }
  return writer.finish();
}

export function decodeStatus(bytes: Uint8Array): InstallerStatus {
  const reader = new ByteReader(bytes);
  const presence = reader.u8();
  if (presence & ~KNOWN_MASK) throw new FormatError(`unknown presence bits 0x${presence.toString(16)}`);
  const take = (bit: number, read: () => number): number | null => (presence & bit ? read() : null);
  const batteryMv = take(Known.battery, () => reader.uvarint());
  const temperatureDeci = take(Known.temperature, () => reader.svarint());
  const humidityDeci = take(Known.humidity, () => reader.uvarint());
  const lastTimeMs = take(Known.lastTransmissionTime, () => reader.uvarint());
  const fillDeci = take(Known.logFill, () => reader.uvarint());
  const unsent = take(Known.unsent, () => reader.uvarint());
  const signal = readRadio(reader);
  const result = enumName(RESULTS, reader.u8(), "transmission result");
  const versionLength = reader.u8();
  if (versionLength > MAX_FIRMWARE_VERSION_BYTES) throw new FormatError(`firmware version of ${versionLength} bytes`);
  const firmwareVersion = new TextDecoder().decode(reader.take(versionLength));
  const sensorCount = reader.u8();
  if (sensorCount > MAX_STATUS_SENSORS) throw new FormatError(`${sensorCount} sensors exceed ${MAX_STATUS_SENSORS}`);
  const sensors: Sample[] = [];
  for (let i = 0; i < sensorCount; i++) {
    const channel = reader.uvarint();
    if (channel > 0xffff) throw new FormatError(`channel ${channel}`);
    const time = reader.uvarint();
    const value = readF64(reader);
    sensors.push({ channel, time, value, flags: reader.u8() });
  }
  return finished(reader, {
    batteryV: batteryMv === null ? null : batteryMv / 1000,
    internalTemperatureC: temperatureDeci === null ? null : temperatureDeci / 10,
    internalHumidityPct: humidityDeci === null ? null : humidityDeci / 10,
    signal,
    lastTransmission: { result, timeMs: lastTimeMs },
    log: { fillPct: fillDeci === null ? null : fillDeci / 10, unsent },
    sensors,
    firmwareVersion,
  });
}

/** Keeps the first MAX_SITE_CHECK_RADIOS radios. */
export function encodeSiteCheck(result: SiteCheckResult): Uint8Array {
  const writer = new ByteWriter(32);
  const radios = result.radios.slice(0, MAX_SITE_CHECK_RADIOS);
  writer.u8(radios.length);
  for (const radio of radios) writeRadio(writer, radio);
  writer.u8(enumCode(RESULTS, result.testTransmission.result));
  writer.uvarint(unsignedScaled(result.testTransmission.durationMs, 1));
  return writer.finish();
}

export function decodeSiteCheck(bytes: Uint8Array): SiteCheckResult {
  const reader = new ByteReader(bytes);
  const count = reader.u8();
  if (count > MAX_SITE_CHECK_RADIOS) throw new FormatError(`${count} radios exceed ${MAX_SITE_CHECK_RADIOS}`);
  const radios: RadioSignal[] = [];
  for (let i = 0; i < count; i++) radios.push(readRadio(reader));
  const result = enumName(RESULTS, reader.u8(), "transmission result");
  return finished(reader, { radios, testTransmission: { result, durationMs: reader.uvarint() } });
}
