/**
 * `datalogger sign`: the vendor's update tooling for the simulator (docs/firmware-update.md
 * "Signing"). Makes signing keys, simulated firmware images, signed manifests (or unsigned bodies
 * for an HSM, and the HSM's signature attached afterwards), and the notice the server sends.
 */
import { webcrypto } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { p1363FromDer, P256_SIGNATURE_BYTES, verifyP256Sha256 } from "../../../modules/crypto/ecdsa.js";
import { decodeManifest, joinManifest } from "../../../modules/ota/manifest.js";
import { encodeNotice } from "../../../modules/ota/notice.js";
import { trustedKey, verifyManifest } from "../../../modules/ota/trust.js";
import { trustedKeysFor } from "../../../modules/ota/vendor-keys.js";
import { formatVersion } from "../../../modules/ota/version.js";
import { HARDWARE_MODEL } from "../../../modules/version.js";
import { DEV_SIGNING_KEY } from "../ota/dev-key.js";
import { encodeSimImage, ImageBehaviour } from "../ota/sim-image.js";
import { generateSigningKey, signingKeyFromSecret, signManifest, type ManifestFields, type SigningKey } from "../ota/signing.js";
import { parseArgs, type ParsedArgs } from "./args.js";

const USAGE = [
  "usage: datalogger sign keygen --out KEY.json",
  "       datalogger sign image --version V --counter N [--model M] [--payload FILE] [--behaviour crash|fail-self-check|hang] --out IMAGE",
  "       datalogger sign manifest --image FILE --version V --counter N [--model M] [--modem-from REV --modem-to REV --url URL]",
  "                                (--key KEY.json | --dev) [--body-only] --out MANIFEST",
  "       datalogger sign attach --body BODY --signature SIG [--der] (--key KEY.json | --dev) --out MANIFEST",
  "       datalogger sign notice --manifest FILE [--url URL] --out NOTICE",
  "       datalogger sign verify --manifest FILE [--key KEY.json | --production]",
].join("\n");

const BEHAVIOURS: Record<string, number> = {
  crash: ImageBehaviour.CrashAtBoot, "fail-self-check": ImageBehaviour.FailSelfCheck, hang: ImageBehaviour.Hang,
};

function required(parsed: ParsedArgs, name: string): string {
  const value = parsed.values.get(name);
  if (value === undefined) throw new Error(`--${name} is required\n${USAGE}`);
  return value;
}

function counterOf(parsed: ParsedArgs): number {
  const text = required(parsed, "counter");
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) throw new Error("--counter must be an integer 0..4294967295");
  return Number(text);
}

function keyOf(parsed: ParsedArgs): SigningKey {
  if (parsed.flags.has("dev")) return DEV_SIGNING_KEY;
  const file = JSON.parse(readFileSync(required(parsed, "key"), "utf8")) as { secretKey?: unknown };
  if (typeof file.secretKey !== "string") throw new Error("key file has no secretKey");
  return signingKeyFromSecret(hexToBytes(file.secretKey));
}

function manifestFields(parsed: ParsedArgs): ManifestFields {
  const fields: ManifestFields = {
    version: required(parsed, "version"), securityCounter: counterOf(parsed), model: parsed.values.get("model") ?? HARDWARE_MODEL,
  };
  const from = parsed.values.get("modem-from");
  if (from !== undefined) fields.modem = { fromRevision: from, toRevision: required(parsed, "modem-to"), url: required(parsed, "url") };
  return fields;
}

function write(path: string, bytes: Uint8Array, what: string): void {
  writeFileSync(path, bytes);
  console.log(`${what}: ${path} (${bytes.length} bytes)`);
}

const SUBCOMMANDS: Record<string, (args: string[]) => void> = {
  keygen(args) {
    const parsed = parseArgs(args, ["out"]);
    const key = generateSigningKey({ getRandomValues: (bytes: Uint8Array) => webcrypto.getRandomValues(bytes) });
    const json = { secretKey: bytesToHex(key.secretKey), publicKey: bytesToHex(key.publicKey), keyId: bytesToHex(key.keyId) };
    writeFileSync(required(parsed, "out"), `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
    console.log(`key ${json.keyId}: public ${json.publicKey}`);
  },
  image(args) {
    const parsed = parseArgs(args, ["version", "counter", "model", "payload", "behaviour", "out"]);
    const behaviourName = parsed.values.get("behaviour");
    const behaviour = behaviourName === undefined ? 0 : BEHAVIOURS[behaviourName];
    if (behaviour === undefined) throw new Error(`--behaviour is one of ${Object.keys(BEHAVIOURS).join(", ")}`);
    const payloadFile = parsed.values.get("payload");
    const payload = payloadFile ? new Uint8Array(readFileSync(payloadFile)) : Uint8Array.from("simulated firmware", (c) => c.charCodeAt(0));
    const image = encodeSimImage({
      version: required(parsed, "version"), securityCounter: counterOf(parsed), model: parsed.values.get("model") ?? HARDWARE_MODEL,
      behaviour, payload,
    });
    write(required(parsed, "out"), image, "image");
  },
  manifest(args) {
    const parsed = parseArgs(args, ["image", "version", "counter", "model", "modem-from", "modem-to", "url", "key", "out"], ["dev", "body-only"]);
    const image = new Uint8Array(readFileSync(required(parsed, "image")));
    const manifest = signManifest(image, manifestFields(parsed), keyOf(parsed));
    if (parsed.flags.has("body-only")) write(required(parsed, "out"), decodeManifest(manifest).body, "manifest body to sign");
    else write(required(parsed, "out"), manifest, "manifest");
  },
  attach(args) {
    const parsed = parseArgs(args, ["body", "signature", "key", "out"], ["der", "dev"]);
    const body = new Uint8Array(readFileSync(required(parsed, "body")));
    const raw = new Uint8Array(readFileSync(required(parsed, "signature")));
    const signature = parsed.flags.has("der") ? p1363FromDer(raw) : raw;
    if (signature.length !== P256_SIGNATURE_BYTES) throw new Error(`a raw signature is ${P256_SIGNATURE_BYTES} bytes (r ‖ s); use --der for DER`);
    if (!verifyP256Sha256(keyOf(parsed).publicKey, body, signature)) throw new Error("the signature does not verify with that key");
    write(required(parsed, "out"), joinManifest(body, signature), "manifest");
  },
  notice(args) {
    const parsed = parseArgs(args, ["manifest", "url", "out"]);
    const manifest = new Uint8Array(readFileSync(required(parsed, "manifest")));
    write(required(parsed, "out"), encodeNotice({ manifest, url: parsed.values.get("url") ?? "" }), "notice");
  },
  verify(args) {
    const parsed = parseArgs(args, ["manifest", "key"], ["production"]);
    const flavour = parsed.flags.has("production") ? "production" : "development";
    const trust = parsed.values.has("key") ? [trustedKey("given", keyOf(parsed).publicKey)] : trustedKeysFor(flavour);
    const manifest = verifyManifest(new Uint8Array(readFileSync(required(parsed, "manifest"))), trust);
    const by = parsed.values.has("key") ? "the given key" : `a ${flavour} build`;
    console.log(`valid for ${by}: ${manifest.target} ${formatVersion(manifest.version)} counter ${manifest.securityCounter} ` +
      `model ${manifest.model} ${manifest.imageSize} bytes sha256 ${bytesToHex(manifest.imageSha256)}` +
      (manifest.modem ? ` modem ${manifest.modem.fromRevision} -> ${manifest.modem.toRevision} from ${manifest.modem.url}` : ""));
  },
};

export async function signCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const run = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!run) {
    console.error(USAGE);
    return 2;
  }
  run(rest);
  return 0;
}
