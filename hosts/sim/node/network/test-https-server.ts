/**
 * An HTTPS server for tests and the simulator world, on 127.0.0.1 with an ephemeral port: it
 * records every request, serves published files to GETs (whole or by Range, like the in-memory
 * network's endpoint) and answers the rest with what `respond` says (201 and a small JSON by default).
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { answerRange } from "../../modem/http-range.js";
import { describeHandshake, serverTlsOptions, type Handshake, type TestServerTls } from "./tls-server-options.js";

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  /** The Range field, when the request had one. */
  range: string | undefined;
  body: Uint8Array;
}

export interface TestHttpsAnswer {
  status: number;
  fields?: Readonly<Record<string, string>>;
  body: Uint8Array;
}

export interface TestHttpsServer {
  readonly host: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly handshakes: Handshake[];
  /** Serves `bytes` at `path` to GETs (the URL's host is whatever name the certificate has). */
  publish(path: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

export interface TestHttpsOptions {
  tls: TestServerTls;
  respond?(request: RecordedRequest): TestHttpsAnswer;
}

export async function startTestHttpsServer(options: TestHttpsOptions): Promise<TestHttpsServer> {
  const requests: RecordedRequest[] = [];
  const handshakes: Handshake[] = [];
  const files = new Map<string, Uint8Array>();
  const respond = options.respond ?? ((request: RecordedRequest): TestHttpsAnswer => ({ status: 201, body: Buffer.from(`{"stored":${request.body.length}}`) }));
  const server: Server = createServer(serverTlsOptions(options.tls), (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: RecordedRequest = {
        method: req.method ?? "", path: req.url ?? "", contentType: req.headers["content-type"], range: req.headers.range,
        body: new Uint8Array(Buffer.concat(chunks)),
      };
      requests.push(request);
      const file = request.method === "GET" ? files.get(request.path) : undefined;
      const answer = file ? answerRange(file, request.range) : respond(request);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.fields, "content-length": answer.body.length });
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
    publish: (path, bytes) => { files.set(path, bytes.slice()); },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
