/**
 * The boards' HealthSensors: battery voltage from an ADC pin behind a divider, and enclosure
 * temperature and humidity from a Sensirion SHT4x on the I2C bus. The platform reads them
 * synchronously, but an SHT4x needs about 9 ms to convert, so a timer measures every
 * CLIMATE_PERIOD_MS and the last good reading is served; NaN until the first one, and again
 * after a failed or corrupted reading (a missing sensor must not look like a plausible value).
 */
import type { Timers } from "../../modules/platform/clock.js";
import type { AnalogIO, HealthSensors } from "../../modules/platform/platform.js";
import type { I2cBus } from "./sc16is7xx.js";

export const SHT4X_ADDRESS = 0x44;
const MEASURE_HIGH_PRECISION = 0xfd;
/** Datasheet: 8.3 ms maximum for a high-precision measurement. */
export const SHT4X_CONVERSION_MS = 10;
export const CLIMATE_PERIOD_MS = 60_000;

/** Sensirion's CRC-8: polynomial 0x31, initial value 0xFF, over each 16-bit word. */
export function sensirionCrc(high: number, low: number): number {
  let crc = 0xff;
  for (const byte of [high, low]) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

export interface ClimateReading {
  temperatureC: number;
  humidityPct: number;
}

/** Decodes the 6-byte answer (T msb, lsb, crc, RH msb, lsb, crc); undefined if a CRC fails. */
export function decodeSht4x(bytes: Uint8Array): ClimateReading | undefined {
  if (bytes.length !== 6) return undefined;
  if (sensirionCrc(bytes[0], bytes[1]) !== bytes[2] || sensirionCrc(bytes[3], bytes[4]) !== bytes[5]) return undefined;
  const rawT = (bytes[0] << 8) | bytes[1];
  const rawRh = (bytes[3] << 8) | bytes[4];
  return {
    temperatureC: -45 + (175 * rawT) / 65535,
    humidityPct: Math.min(100, Math.max(0, -6 + (125 * rawRh) / 65535)),
  };
}

export interface BoardHealthWiring {
  battery: AnalogIO;
  /** Volts at the ADC pin for the top code (ESP32 12 dB calibrated: 2.45; nRF52 gain 1/6: 3.6). */
  adcFullScaleVolts: number;
  /** Battery volts per volt at the ADC pin. */
  batteryDivider: number;
  climate: I2cBus;
  timers: Timers;
}

export class BoardHealth implements HealthSensors {
  readonly #wiring: BoardHealthWiring;
  #reading: ClimateReading | undefined;

  constructor(wiring: BoardHealthWiring) {
    this.#wiring = wiring;
    wiring.timers.repeat(() => this.#measure(), CLIMATE_PERIOD_MS);
    this.#measure();
  }

  batteryVolts(): number {
    const { battery, adcFullScaleVolts, batteryDivider } = this.#wiring;
    return (battery.read() / (2 ** battery.resolution - 1)) * adcFullScaleVolts * batteryDivider;
  }

  internalHumidity(): number {
    return this.#reading ? this.#reading.humidityPct : NaN;
  }

  internalTemperature(): number {
    return this.#reading ? this.#reading.temperatureC : NaN;
  }

  #measure(): void {
    const { climate, timers } = this.#wiring;
    try {
      climate.write(Uint8Array.of(MEASURE_HIGH_PRECISION));
    } catch {
      this.#reading = undefined;
      return;
    }
    timers.set(() => {
      try {
        this.#reading = decodeSht4x(new Uint8Array(climate.read(6)));
      } catch {
        this.#reading = undefined;
      }
    }, SHT4X_CONVERSION_MS);
  }
}
