/**
 * What the world's TLS servers share: the RSA and the ECDSA certificate together (Node presents
 * the one that suits the suite the client offers, so both of the modem's suite families work),
 * TLS 1.2 at least, and listening on loopback.
 */
import type { AddressInfo } from "node:net";
import type { Server, TlsOptions } from "node:tls";
import type { KeyPair } from "../network/certificates.js";

export interface ServerIdentities {
  rsa: KeyPair;
  ecdsa: KeyPair;
}

export function worldTlsOptions(identities: ServerIdentities): TlsOptions {
  return {
    key: [identities.rsa.keyPem, identities.ecdsa.keyPem],
    cert: [identities.rsa.certPem, identities.ecdsa.certPem],
    minVersion: "TLSv1.2",
  };
}

/** Listens on 127.0.0.1 (`port` 0: any free one); resolves with the port. */
export function listenOnLoopback(server: Pick<Server, "once" | "listen" | "address">, port = 0): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}
