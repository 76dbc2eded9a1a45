/**
 * Whether an authenticated manifest may be installed on this logger: right model, security counter
 * not below the floor (anti-rollback), a newer version, an image that fits a slot.
 */
import type { RunningImage } from "../platform/update.js";
import { isImageUrl } from "./ascii-field.js";
import type { SignedManifest } from "./manifest.js";
import { UpdateRefused } from "./refusal.js";
import { compareVersions, formatVersion, parseVersion } from "./version.js";

export interface DeviceFacts {
  running: RunningImage;
  securityFloor: number;
  slotBytes: number;
}

/** Throws UpdateRefused when the logger must not install `manifest` from `url`. */
export function checkApplicable(manifest: SignedManifest, url: string, facts: DeviceFacts): void {
  if (manifest.model !== facts.running.model) {
    throw new UpdateRefused("wrong-model", `built for "${manifest.model}", this logger is "${facts.running.model}"`);
  }
  const floor = Math.max(facts.securityFloor, facts.running.securityCounter);
  if (manifest.securityCounter < floor) {
    throw new UpdateRefused("downgrade", `security counter ${manifest.securityCounter} is below ${floor}`);
  }
  if (manifest.target === "modem") {
    if (url !== "") throw new UpdateRefused("bad-url", "a modem package's location is in its manifest");
    return;
  }
  // The bootloader reports well-formed versions; an unreadable one counts as the oldest.
  const running = parseVersion(facts.running.version) ?? { major: 0, minor: 0, patch: 0 };
  if (compareVersions(manifest.version, running) <= 0) {
    throw new UpdateRefused("not-newer", `${formatVersion(manifest.version)} is not newer than ${facts.running.version}`);
  }
  if (manifest.imageSize > facts.slotBytes) {
    throw new UpdateRefused("too-large", `image of ${manifest.imageSize} bytes exceeds the ${facts.slotBytes}-byte slot`);
  }
  if (!isImageUrl(url)) throw new UpdateRefused("bad-url", "image location is not an https URL");
}
