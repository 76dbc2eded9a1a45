/**
 * The vendor's public signing keys built into the firmware. A production build trusts only the
 * production key, whose secret half lives in the vendor's HSM and nowhere in this repository. A
 * development build trusts the development key too; that key's secret is public by design
 * (hosts/sim/ota/dev-key.ts), so a development build must never ship.
 */
import { hexToBytes } from "@noble/hashes/utils.js";
import { trustedKey, type TrustedKey } from "./trust.js";

export type BuildFlavour = "production" | "development";

export const PRODUCTION_KEY: TrustedKey = trustedKey("production", hexToBytes(
  "04d22152e9f7acf8a548124c4b467a7adc56d7a469d101ed4913f613b8c4e91a9c" +
  "0d1b74181a201349552553546fe9c573b99b0920cde87351ce1ceaaf2fa81ac5",
));

export const DEVELOPMENT_KEY: TrustedKey = trustedKey("development", hexToBytes(
  "0463379d0b325857547b93756798f25cac1db3935089e2ca23c8a496bd4afcc1a3" +
  "713939eec3007068393acc63098c354f9d552ca6b0136c594e8edad4584e8acf",
));

export function trustedKeysFor(flavour: BuildFlavour): readonly TrustedKey[] {
  return flavour === "production" ? [PRODUCTION_KEY] : [PRODUCTION_KEY, DEVELOPMENT_KEY];
}
