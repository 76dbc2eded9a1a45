/** The TLS policy of a test server (broker or HTTPS endpoint), and a log of its handshakes. */
import type { SecureVersion, TLSSocket, TlsOptions } from "node:tls";
import type { KeyPair } from "./certificates.js";

export interface TestServerTls {
  identity: KeyPair;
  /** OpenSSL cipher list for TLS 1.2 and below (default: OpenSSL's). */
  ciphers?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
}

export interface Handshake {
  protocol: string | null;
  cipher: string;
  /** The SNI name the client sent ("" without SNI). */
  servername: string;
}

export function serverTlsOptions(tls: TestServerTls): TlsOptions {
  const options: TlsOptions = { key: tls.identity.keyPem, cert: tls.identity.certPem };
  if (tls.ciphers) options.ciphers = tls.ciphers;
  if (tls.minVersion) options.minVersion = tls.minVersion;
  if (tls.maxVersion) options.maxVersion = tls.maxVersion;
  return options;
}

export function describeHandshake(socket: TLSSocket): Handshake {
  return { protocol: socket.getProtocol(), cipher: socket.getCipher().name, servername: socket.servername || "" };
}
