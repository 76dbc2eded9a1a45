/**
 * The vendor's side of update signing, for the simulator and `datalogger sign`: key pairs and
 * manifests signed with ECDSA P-256 / SHA-256 (deterministic RFC 6979 nonces, so the same inputs
 * always give the same manifest). On a real release the secret key stays in an HSM that signs the
 * manifest body; this code only stands in for it.
 */
import { p256 } from "@noble/curves/nist.js";
import type { Random } from "../../../modules/platform/platform.js";
import { sha256 } from "../../../modules/crypto/sha256.js";
import { encodeManifestBody, joinManifest, type ManifestBody, type ModemPackage, type UpdateTarget } from "../../../modules/ota/manifest.js";
import { keyIdOf } from "../../../modules/ota/trust.js";
import { parseVersion } from "../../../modules/ota/version.js";

export interface SigningKey {
  secretKey: Uint8Array;
  /** Uncompressed, 65 bytes. */
  publicKey: Uint8Array;
  keyId: Uint8Array;
}

export function signingKeyFromSecret(secretKey: Uint8Array): SigningKey {
  const publicKey = p256.getPublicKey(secretKey, false);
  return { secretKey: secretKey.slice(), publicKey, keyId: keyIdOf(publicKey) };
}

export function generateSigningKey(random: Random): SigningKey {
  const seed = random.getRandomValues(new Uint8Array(48));
  return signingKeyFromSecret(p256.utils.randomSecretKey(seed));
}

/** The 64-byte r ‖ s signature of SHA-256(body). */
export function signBody(body: Uint8Array, key: SigningKey): Uint8Array {
  return p256.sign(body, key.secretKey, { prehash: true, format: "compact" });
}

export interface ManifestFields {
  target?: UpdateTarget;
  version: string;
  securityCounter: number;
  model: string;
  modem?: ModemPackage;
}

/** Signs a manifest describing `image` (a logger image, or the modem package's bytes). */
export function signManifest(image: Uint8Array, fields: ManifestFields, key: SigningKey): Uint8Array {
  const version = parseVersion(fields.version);
  if (!version) throw new RangeError(`version "${fields.version}" is not major.minor.patch`);
  const body: ManifestBody = {
    target: fields.target ?? (fields.modem ? "modem" : "logger"),
    keyId: key.keyId,
    securityCounter: fields.securityCounter,
    version,
    imageSize: image.length,
    imageSha256: sha256(image),
    model: fields.model,
  };
  if (fields.modem) body.modem = fields.modem;
  const encoded = encodeManifestBody(body);
  return joinManifest(encoded, signBody(encoded, key));
}
