/**
 * A model of the TLS 1.x handshake outcome for the in-memory network: version, suite (which
 * must suit the server certificate's key type), and certificate verification against the CA
 * the client trusts, including the name check. Certificates are stood for by the PEM text of
 * the issuing CA; no cryptography happens here.
 */
import { SUPPORTED_SUITES } from "./cipher-suites.js";
import type { NetworkFailure, TlsClientParams, TlsVersion } from "./modem-network.js";

export interface ServerTlsPolicy {
  /** PEM of the CA that issued the server's certificate. */
  issuerPem: string;
  keyType: "rsa" | "ecdsa";
  /** IANA ids of the suites the server accepts. */
  suites: readonly number[];
  versions: readonly TlsVersion[];
  /** Names the server's certificate is valid for. */
  names: readonly string[];
}

export type Handshake =
  | { ok: true; version: TlsVersion; suite: number }
  | { ok: false; failure: NetworkFailure; detail: string };

const ORDER: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

function normalisePem(pem: string): string {
  return pem.replace(/\r/g, "").trim();
}

export function negotiate(client: TlsClientParams, server: ServerTlsPolicy, host: string): Handshake {
  const common = ORDER.filter((v) => client.versions.indexOf(v) >= 0 && server.versions.indexOf(v) >= 0);
  if (!common.length) {
    return { ok: false, failure: "tls-protocol", detail: `no common version: client ${client.versions.join("/")}, server ${server.versions.join("/")}` };
  }
  const version = common[common.length - 1];
  const suite = client.suites.find((id) => server.suites.indexOf(id) >= 0 && SUPPORTED_SUITES.get(id)?.auth === server.keyType);
  if (suite === undefined) return { ok: false, failure: "tls-cipher", detail: "no cipher suite in common" };
  if (client.caPem) {
    const trusted = normalisePem(new TextDecoder().decode(client.caPem));
    if (trusted !== normalisePem(server.issuerPem)) return { ok: false, failure: "tls-certificate", detail: "certificate not issued by the trusted CA" };
    if (server.names.indexOf(host) < 0) return { ok: false, failure: "tls-certificate", detail: `certificate not valid for ${host}` };
  }
  return { ok: true, version, suite };
}
