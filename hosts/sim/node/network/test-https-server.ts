/**
 * An HTTPS server for tests and the simulator world, on 127.0.0.1 with an ephemeral port: it
 * records every request and answers with what `respond` says (201 and a small JSON by default).
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { describeHandshake, serverTlsOptions, type Handshake, type TestServerTls } from "./tls-server-options.js";

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Uint8Array;
}

export interface TestHttpsServer {
  readonly host: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly handshakes: Handshake[];
  close(): Promise<void>;
}

export interface TestHttpsOptions {
  tls: TestServerTls;
  respond?(request: RecordedRequest): { status: number; body: Uint8Array };
}

export async function startTestHttpsServer(options: TestHttpsOptions): Promise<TestHttpsServer> {
  const requests: RecordedRequest[] = [];
  const handshakes: Handshake[] = [];
  const respond = options.respond ?? ((request) => ({ status: 201, body: Buffer.from(`{"stored":${request.body.length}}`) }));
  const server: Server = createServer(serverTlsOptions(options.tls), (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: RecordedRequest = {
        method: req.method ?? "", path: req.url ?? "", contentType: req.headers["content-type"], body: new Uint8Array(Buffer.concat(chunks)),
      };
      requests.push(request);
      const answer = respond(request);
      res.writeHead(answer.status, { "content-type": "application/json", "content-length": answer.body.length });
      res.end(Buffer.from(answer.body));
    });
  });
  server.on("secureConnection", (socket: TLSSocket) => handshakes.push(describeHandshake(socket)));
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: "127.0.0.1",
    port: (server.address() as AddressInfo).port,
    requests,
    handshakes,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
