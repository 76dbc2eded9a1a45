/** Updater work measured by bench/ota.bench.ts, in XS and on Node (Node-free, JSON in and out). */
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { sha256Stream } from "../../../modules/crypto/sha256.js";
import { verifyManifest } from "../../../modules/ota/trust.js";
import { trustedKeysFor } from "../../../modules/ota/vendor-keys.js";

/** Authenticates the manifest `times` times; returns its version. */
export function verifyManifestRepeatedly(input: { manifestHex: string; times: number }): string {
  const manifest = hexToBytes(input.manifestHex);
  const trust = trustedKeysFor("development");
  let version = "";
  for (let i = 0; i < input.times; i++) {
    const verified = verifyManifest(manifest, trust);
    version = `${verified.version.major}.${verified.version.minor}.${verified.version.patch}`;
  }
  return version;
}

/** SHA-256 of `kib` KiB hashed in 4 KiB slices, as the slot check reads it. */
export function hashSlices(input: { kib: number }): string {
  const slice = new Uint8Array(4096);
  const hash = sha256Stream();
  for (let i = 0; i < input.kib / 4; i++) {
    slice.fill(i & 0xff);
    hash.update(slice);
  }
  return bytesToHex(hash.digest());
}
