/**
 * A throw-away PKI for TLS tests and the simulator world, made with the `openssl` command line
 * in a temporary directory: a trusted CA, a second unrelated CA (for "wrong CA" cases), and
 * server certificates with an RSA key and with an ECDSA P-256 key, so that both families of
 * the modem's cipher suites can be negotiated. Certificates name localhost and 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface TestPki {
  /** The CA the device trusts. */
  caPem: string;
  /** An unrelated CA: a server certificate from it must be refused. */
  otherCaPem: string;
  rsa: KeyPair;
  ecdsa: KeyPair;
  /** A server certificate issued by the other CA. */
  foreign: KeyPair;
  /** Removes the temporary directory. */
  dispose(): void;
}

export interface PkiOptions {
  /** DNS names and IP addresses the server certificates are valid for. */
  names?: readonly string[];
  days?: number;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string, days: number): void {
  openssl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", String(days), "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
}

function makeServer(dir: string, name: string, ca: string, keyArgs: string[], san: string, days: number): KeyPair {
  openssl(dir, ["req", "-newkey", ...keyArgs, "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), [
    `subjectAltName=${san}`, "basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth", "",
  ].join("\n"));
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-CAcreateserial",
    "-out", `${name}.pem`, "-days", String(days), "-sha256", "-extfile", `${name}.ext`]);
  return { certPem: readFileSync(join(dir, `${name}.pem`), "utf8"), keyPem: readFileSync(join(dir, `${name}.key`), "utf8") };
}

export function makeTestPki(options: PkiOptions = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "datalogger-pki-"));
  const days = options.days ?? 30;
  const names = options.names ?? ["localhost", "127.0.0.1"];
  const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  try {
    makeCa(dir, "trusted-ca", days);
    makeCa(dir, "other-ca", days);
    const rsaKey = ["rsa:2048"];
    const ecKey = ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
    return {
      caPem: readFileSync(join(dir, "trusted-ca.pem"), "utf8"),
      otherCaPem: readFileSync(join(dir, "other-ca.pem"), "utf8"),
      rsa: makeServer(dir, "server-rsa", "trusted-ca", rsaKey, san, days),
      ecdsa: makeServer(dir, "server-ecdsa", "trusted-ca", ecKey, san, days),
      foreign: makeServer(dir, "server-foreign", "other-ca", ecKey, san, days),
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
