/**
 * The development signing key. Its secret is derived from a published phrase, so anyone can sign
 * with it: only development builds trust it (modules/ota/vendor-keys.ts), and a production build
 * refuses everything it signed.
 */
import { sha256 } from "../../../modules/crypto/sha256.js";
import { signingKeyFromSecret, type SigningKey } from "./signing.js";

export const DEV_KEY_PHRASE = "datalogger development signing key v1";

export const DEV_SIGNING_KEY: SigningKey = signingKeyFromSecret(sha256(Uint8Array.from(DEV_KEY_PHRASE, (c) => c.charCodeAt(0))));
