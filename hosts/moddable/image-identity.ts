/**
 * How a board image declares its version and security counter where the bootloader's tools put
 * the version (docs/firmware-update.md §13): ESP-IDF's `esp_app_desc_t.version`, set by
 * CONFIG_APP_PROJECT_VER, holds "<major>.<minor>.<patch>+sc<counter>", e.g. "1.2.0+sc2". The
 * counter is a semver build-metadata suffix, so tools that compare versions ignore it. The
 * longest identity ("65535.65535.65535+sc4294967295") is 30 characters, within the 31 that the
 * field's char[32] holds. One encoder, one decoder.
 */
import { parseVersion } from "../../modules/ota/version.js";

export interface ImageIdentity {
  version: string;
  securityCounter: number;
}

const SUFFIX = "+sc";
const MAX_COUNTER = 0xffffffff;

export function formatImageIdentity(identity: ImageIdentity): string {
  if (!parseVersion(identity.version)) throw new RangeError(`version "${identity.version}" is not major.minor.patch`);
  const counter = identity.securityCounter;
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) throw new RangeError(`security counter ${counter} is not a uint32`);
  return `${identity.version}${SUFFIX}${counter}`;
}

/** Undefined for anything formatImageIdentity does not write. */
export function parseImageIdentity(text: string): ImageIdentity | undefined {
  const at = text.lastIndexOf(SUFFIX);
  if (at < 0) return undefined;
  const version = text.slice(0, at);
  const counterText = text.slice(at + SUFFIX.length);
  if (!parseVersion(version) || !/^(0|[1-9]\d{0,9})$/.test(counterText)) return undefined;
  const securityCounter = Number(counterText);
  return securityCounter <= MAX_COUNTER ? { version, securityCounter } : undefined;
}
