/**
 * The simulator world's certificates, kept in a directory: made on first run (a local CA and two
 * server certificates from it, RSA and ECDSA P-256, for localhost and 127.0.0.1, by the test PKI
 * helper), and read back on the next runs, so that a logger provisioned with the CA keeps working.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTestPki, type KeyPair } from "../network/certificates.js";

export interface WorldPki {
  dir: string;
  caPem: string;
  rsa: KeyPair;
  ecdsa: KeyPair;
  /** True when this run made them. */
  created: boolean;
}

const FILES = {
  ca: "ca.pem",
  rsaCert: "server-rsa.pem", rsaKey: "server-rsa.key",
  ecdsaCert: "server-ecdsa.pem", ecdsaKey: "server-ecdsa.key",
} as const;

/** Validity of certificates made for the simulator (the test PKI's default is a month). */
const DAYS = 3650;

export function loadOrCreatePki(dir: string): WorldPki {
  const path = (name: keyof typeof FILES) => join(dir, FILES[name]);
  if (Object.keys(FILES).every((name) => existsSync(path(name as keyof typeof FILES)))) {
    const read = (name: keyof typeof FILES) => readFileSync(path(name), "utf8");
    return {
      dir, caPem: read("ca"), created: false,
      rsa: { certPem: read("rsaCert"), keyPem: read("rsaKey") },
      ecdsa: { certPem: read("ecdsaCert"), keyPem: read("ecdsaKey") },
    };
  }
  mkdirSync(dir, { recursive: true });
  const pki = makeTestPki({ days: DAYS });
  try {
    writeFileSync(path("ca"), pki.caPem);
    writeFileSync(path("rsaCert"), pki.rsa.certPem);
    writeFileSync(path("rsaKey"), pki.rsa.keyPem, { mode: 0o600 });
    writeFileSync(path("ecdsaCert"), pki.ecdsa.certPem);
    writeFileSync(path("ecdsaKey"), pki.ecdsa.keyPem, { mode: 0o600 });
  } finally {
    pki.dispose();
  }
  return { dir, caPem: pki.caPem, rsa: pki.rsa, ecdsa: pki.ecdsa, created: true };
}
