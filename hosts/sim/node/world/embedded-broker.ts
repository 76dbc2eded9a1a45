/**
 * The simulator world's MQTT broker: aedes behind TLS (1.2 and up) on loopback, with an RSA and an
 * ECDSA certificate (loopback-tls.ts). Each device logs in with its own user name and password, as
 * its own client id, and is confined to its own topics: it may publish only under up/<name>/
 * and subscribe only under dl/<name>/. Uplinks go to an in-process handler (the receiver),
 * whose answers are published back at QoS 1 (the broker keeps them for a device that is away).
 *
 * The simulated logger lives in virtual time, which may run far ahead of the wall clock: from an
 * uplink until the device has acknowledged the answer (its PUBACK), virtual time is held, so a
 * logger at full speed does not give up on an acknowledgement that is still on the loopback.
 */
import { Aedes, type AuthenticateError, type Client } from "aedes";
import { createServer, type Server, type TLSSocket } from "node:tls";
import { deviceTopics, parseUplinkTopic } from "../../../../modules/uplink/endpoints.js";
import { describeHandshake, type Handshake } from "../network/tls-server-options.js";
import type { DeviceAccount, Outgoing } from "../../server/receiver.js";
import { listenOnLoopback, worldTlsOptions, type ServerIdentities } from "./loopback-tls.js";

export interface EmbeddedBrokerOptions {
  identities: ServerIdentities;
  accounts: readonly DeviceAccount[];
  /** Port to listen on (0: any free one). */
  port?: number;
  /** A device's publish, authorised; returns what to publish back. */
  onUplink(topic: string, payload: Uint8Array): Outgoing[];
  /** Holds the simulation's virtual time until the returned release is called. */
  hold?(reason: string): () => void;
  trace?(line: string): void;
}

export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  readonly handshakes: Handshake[];
  /** Client ids whose CONNECT was accepted, in order. */
  readonly accepted: string[];
  /** Client ids whose CONNECT was refused. */
  readonly refused: string[];
  /** Publishes and subscriptions refused by the topic rules. */
  readonly denied: string[];
  publish(message: Outgoing, qos: 0 | 1): Promise<void>;
  connectedClients(): number;
  close(): Promise<void>;
}

const IDENTIFIER_REJECTED = 2;
/** An answer a device does not acknowledge within this (it went away) stops holding time. */
const ANSWER_HOLD_MS = 2000;
const BAD_USERNAME_OR_PASSWORD = 4;

function refusal(message: string, code: number): AuthenticateError {
  const error = new Error(message) as AuthenticateError;
  error.returnCode = code;
  return error;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const accounts = new Map(options.accounts.map((account) => [account.username, account]));
  const users = new WeakMap<Client, string>();
  const handshakes: Handshake[] = [];
  const accepted: string[] = [];
  const refused: string[] = [];
  const denied: string[] = [];
  const trace = (line: string) => options.trace?.(`broker: ${line}`);
  const aedes = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const account = username === undefined ? undefined : accounts.get(username);
      if (!account || password === undefined || password.toString("utf8") !== account.password) {
        refused.push(client.id);
        trace(`refused ${client.id}: bad user name or password`);
        return done(refusal("bad user name or password", BAD_USERNAME_OR_PASSWORD), null);
      }
      if (client.id !== account.username) {
        refused.push(client.id);
        trace(`refused ${client.id}: the client id must be the user name`);
        return done(refusal("client id must be the user name", IDENTIFIER_REJECTED), null);
      }
      users.set(client, account.username);
      accepted.push(client.id);
      done(null, true);
    },
    authorizePublish: (client, packet, done) => {
      if (!client) return done(null);
      const parsed = parseUplinkTopic(packet.topic);
      if (parsed && parsed.username === users.get(client)) return done(null);
      denied.push(`${client.id} publish ${packet.topic}`);
      trace(`denied ${client.id} a publish on ${packet.topic}`);
      done(new Error("not authorised"));
    },
    authorizeSubscribe: (client, subscription, done) => {
      const username = users.get(client);
      if (username && subscription.topic.startsWith(deviceTopics(username).downlinkPrefix)) return done(null, subscription);
      denied.push(`${client.id} subscribe ${subscription.topic}`);
      trace(`denied ${client.id} a subscription to ${subscription.topic}`);
      done(null, null);
    },
  });
  const publish = (message: Outgoing, qos: 0 | 1) => new Promise<void>((resolve, reject) => {
    aedes.publish({ cmd: "publish", topic: message.topic, payload: Buffer.from(message.payload), qos, retain: false, dup: false },
      (error) => (error ? reject(error) : resolve()));
  });
  const answering = new Map<string, Array<() => void>>();
  const holdUntilAcknowledged = (topic: string): void => {
    const hold = options.hold;
    if (!hold) return;
    const release = hold(`answer on ${topic}`);
    const timer = setTimeout(finish, ANSWER_HOLD_MS);
    const waiting = answering.get(topic) ?? [];
    answering.set(topic, [...waiting, finish]);
    function finish(): void {
      clearTimeout(timer);
      const left = (answering.get(topic) ?? []).filter((f) => f !== finish);
      if (left.length) answering.set(topic, left);
      else answering.delete(topic);
      release();
    }
  };
  aedes.on("ack", (packet) => {
    if ("topic" in packet && typeof packet.topic === "string") answering.get(packet.topic)?.[0]?.();
  });
  await new Promise<void>((resolve) => aedes.subscribe("up/#", (packet, done) => {
    for (const reply of options.onUplink(packet.topic, new Uint8Array(packet.payload as Buffer))) {
      holdUntilAcknowledged(reply.topic);
      publish(reply, 1).catch((error: unknown) => trace(`could not answer: ${String(error)}`));
    }
    done();
  }, resolve));
  const server: Server = createServer(worldTlsOptions(options.identities), (socket) => aedes.handle(socket));
  server.on("secureConnection", (socket: TLSSocket) => handshakes.push(describeHandshake(socket)));
  server.on("tlsClientError", (error) => trace(`TLS handshake failed: ${error.message}`));
  const port = await listenOnLoopback(server, options.port);
  return {
    host: "127.0.0.1",
    port,
    handshakes, accepted, refused, denied, publish,
    connectedClients: () => aedes.connectedClients,
    close: () => new Promise<void>((resolve) => aedes.close(() => server.close(() => resolve()))),
  };
}
