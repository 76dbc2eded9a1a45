/**
 * The server side of the simulator world on real sockets: the certificates (made on first run),
 * the embedded MQTT broker and the HTTPS ingest endpoint on loopback, the receiver, and the CSV
 * landing in the data directory. Or, with an external broker (e.g. Mosquitto), the receiver as an
 * MQTT client of it.
 */
import { connect, type MqttClient } from "mqtt";
import { join } from "node:path";
import type { IngestListener } from "../../server/ingest.js";
import { Receiver, type DeviceAccount, type Outgoing } from "../../server/receiver.js";
import { startEmbeddedBroker, type EmbeddedBroker } from "./embedded-broker.js";
import { startHttpsIngest, type HttpsIngest } from "./https-ingest.js";
import { loadOrCreatePki, type WorldPki } from "./pki-store.js";

export interface WorldServerOptions {
  dataDir: string;
  accounts: readonly DeviceAccount[];
  listener: IngestListener;
  /** The server's clock: the simulated world's true time. */
  now(): number;
  brokerPort?: number;
  httpsPort?: number;
  /** Holds the simulation's virtual time (scheduler.hold) while an answer is on its way. */
  hold?(reason: string): () => void;
  trace?(line: string): void;
}

export interface WorldServer {
  pki: WorldPki;
  broker: EmbeddedBroker;
  https: HttpsIngest;
  receiver: Receiver;
  close(): Promise<void>;
}

export async function startWorldServer(options: WorldServerOptions): Promise<WorldServer> {
  const pki = loadOrCreatePki(join(options.dataDir, "pki"));
  // Configuration changes pushed by the receiver go out through the broker, which starts after it.
  let publishChange: (message: Outgoing) => void = () => undefined;
  const receiver = new Receiver({
    devices: options.accounts, listener: options.listener, now: options.now, trace: options.trace,
    publish: (message) => publishChange(message),
  });
  const broker = await startEmbeddedBroker({
    identities: pki, accounts: options.accounts, port: options.brokerPort, trace: options.trace, hold: options.hold,
    onUplink: (topic, payload) => receiver.onPublish(topic, payload),
  });
  publishChange = (message) => { broker.publish(message, 1).catch((error: unknown) => options.trace?.(`broker: ${String(error)}`)); };
  const https = await startHttpsIngest({ identities: pki, port: options.httpsPort, onPost: (url, body) => receiver.onPost(url, body) });
  return {
    pki, broker, https, receiver,
    close: async () => {
      await https.close();
      await broker.close();
    },
  };
}

export interface ExternalBrokerOptions {
  /** mqtts://host:port */
  url: string;
  caPem: string;
  /** The receiver's own account on that broker: it must be allowed up/+/data, up/+/report and dl/#. */
  username: string;
  password: string;
  accounts: readonly DeviceAccount[];
  listener: IngestListener;
  now(): number;
  hold?(reason: string): () => void;
  trace?(line: string): void;
}

/** After the external broker took an answer, the device should have it within this much wall time. */
const EXTERNAL_FORWARD_MS = 50;

/**
 * The receiver as a client of an external broker. It cannot see the device take an answer, so
 * virtual time is held until the broker took it and a moment more.
 */
export async function connectReceiver(options: ExternalBrokerOptions): Promise<{ receiver: Receiver; close(): Promise<void> }> {
  let client: MqttClient | undefined;
  const send = (message: Outgoing) => {
    const release = options.hold?.(`answer on ${message.topic}`);
    client?.publish(message.topic, Buffer.from(message.payload), { qos: 1 }, () => { if (release) setTimeout(release, EXTERNAL_FORWARD_MS); });
  };
  const receiver = new Receiver({
    devices: options.accounts, listener: options.listener, now: options.now, trace: options.trace,
    publish: send,
  });
  const connected = connect(options.url, {
    ca: options.caPem, rejectUnauthorized: true, username: options.username, password: options.password,
    clientId: options.username, protocolVersion: 4, clean: false, reconnectPeriod: 2000,
  });
  client = connected;
  connected.on("message", (topic, payload) => {
    for (const reply of receiver.onPublish(topic, new Uint8Array(payload))) send(reply);
  });
  connected.on("error", (error) => options.trace?.(`receiver: broker ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    connected.once("connect", () => resolve());
    connected.once("error", reject);
  });
  await connected.subscribeAsync(["up/+/data", "up/+/report"], { qos: 1 });
  return { receiver, close: async () => { await connected.endAsync(); } };
}
