/**
 * An MQTT broker for tests and the simulator world: aedes behind a Node TLS server on
 * 127.0.0.1 with an ephemeral port, user names and passwords checked (CONNACK 4 otherwise),
 * every received message and every handshake recorded.
 */
import { Aedes, type AuthenticateError } from "aedes";
import { createServer, type Server, type TLSSocket } from "node:tls";
import type { AddressInfo } from "node:net";
import { describeHandshake, serverTlsOptions, type Handshake, type TestServerTls } from "./tls-server-options.js";

export interface BrokerMessage {
  clientId: string;
  topic: string;
  payload: Uint8Array;
}

export interface TestBroker {
  readonly host: string;
  readonly port: number;
  readonly received: BrokerMessage[];
  readonly handshakes: Handshake[];
  /** CONNECTs refused for bad credentials. */
  readonly refused: string[];
  /** Publishes to subscribers (the server's downlink). */
  publish(topic: string, payload: Uint8Array, qos?: 0 | 1): Promise<void>;
  connectedClients(): number;
  close(): Promise<void>;
}

export interface TestBrokerOptions {
  tls: TestServerTls;
  users: Readonly<Record<string, string>>;
}

const BAD_USERNAME_OR_PASSWORD = 4;

export async function startTestBroker(options: TestBrokerOptions): Promise<TestBroker> {
  const received: BrokerMessage[] = [];
  const handshakes: Handshake[] = [];
  const refused: string[] = [];
  const aedes = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      if (username !== undefined && options.users[username] !== undefined && options.users[username] === password?.toString()) {
        return done(null, true);
      }
      refused.push(client.id);
      const error = new Error("bad user name or password") as AuthenticateError;
      error.returnCode = BAD_USERNAME_OR_PASSWORD;
      done(error, null);
    },
  });
  aedes.on("publish", (packet, client) => {
    if (client) received.push({ clientId: client.id, topic: packet.topic, payload: new Uint8Array(packet.payload as Buffer) });
  });
  const server: Server = createServer(serverTlsOptions(options.tls), (socket) => aedes.handle(socket));
  server.on("secureConnection", (socket: TLSSocket) => handshakes.push(describeHandshake(socket)));
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    received,
    handshakes,
    refused,
    publish: (topic, payload, qos = 1) => new Promise<void>((resolve, reject) => {
      aedes.publish({ cmd: "publish", topic, payload: Buffer.from(payload), qos, retain: false, dup: false }, (error) => (error ? reject(error) : resolve()));
    }),
    connectedClients: () => aedes.connectedClients,
    close: () => new Promise<void>((resolve) => {
      aedes.close(() => server.close(() => resolve()));
    }),
  };
}
