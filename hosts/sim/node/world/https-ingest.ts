/**
 * The simulator world's HTTPS ingest endpoint: POST /v1/<device>/<data|report>?mac=... on loopback,
 * TLS 1.2 and up with the RSA and the ECDSA certificate (loopback-tls.ts), answered by the receiver (the answer body
 * carries the acknowledgement and any waiting downlinks). Bodies over 16 KiB are refused.
 */
import { createServer, type Server } from "node:https";
import type { TLSSocket } from "node:tls";
import { describeHandshake, type Handshake } from "../network/tls-server-options.js";
import { listenOnLoopback, worldTlsOptions, type ServerIdentities } from "./loopback-tls.js";

const MAX_BODY_BYTES = 16 * 1024;

export interface HttpsIngestOptions {
  identities: ServerIdentities;
  port?: number;
  onPost(url: string, body: Uint8Array): { status: number; body: Uint8Array };
}

export interface HttpsIngest {
  readonly host: string;
  readonly port: number;
  readonly handshakes: Handshake[];
  close(): Promise<void>;
}

export async function startHttpsIngest(options: HttpsIngestOptions): Promise<HttpsIngest> {
  const handshakes: Handshake[] = [];
  const server: Server = createServer(worldTlsOptions(options.identities), (request, response) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const answer = (status: number, body: Uint8Array) => {
      response.writeHead(status, { "content-type": "application/octet-stream", "content-length": body.length });
      response.end(Buffer.from(body));
    };
    request.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (request.method !== "POST") return answer(405, new Uint8Array(0));
      if (length > MAX_BODY_BYTES) return answer(413, new Uint8Array(0));
      const result = options.onPost(request.url ?? "", new Uint8Array(Buffer.concat(chunks)));
      answer(result.status, result.body);
    });
  });
  server.on("secureConnection", (socket: TLSSocket) => handshakes.push(describeHandshake(socket)));
  server.on("tlsClientError", () => undefined);
  const port = await listenOnLoopback(server, options.port);
  return {
    host: "127.0.0.1",
    port,
    handshakes,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
