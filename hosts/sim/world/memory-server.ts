/**
 * The server side of the simulated world on the in-memory network, in virtual time: a broker and
 * an HTTPS endpoint (with the in-memory TLS model) in front of the Receiver, which connects to
 * the broker as one more client and subscribes to every device's uplink topics. A broker restart
 * drops every connection, the receiver's included; the receiver connects again a moment later.
 */
import type { MemoryBroker, BrokerConnection } from "../modem/memory-broker.js";
import type { MemoryHttpsServer, MemoryNetwork } from "../modem/memory-network.js";
import type { Endpoint, MqttLinkEvents } from "../modem/modem-network.js";
import type { ServerTlsPolicy } from "../modem/tls-policy.js";
import type { Scheduler } from "../scheduler.js";
import type { IngestListener } from "../server/ingest.js";
import { Receiver, type DeviceAccount, type Outgoing } from "../server/receiver.js";

export interface MemoryServerOptions {
  broker: Endpoint;
  https: Endpoint;
  tls: ServerTlsPolicy;
  devices: readonly DeviceAccount[];
  listener?: IngestListener;
  /** The server's clock (the world's true time). */
  now(): number;
  trace?(line: string): void;
}

const RECEIVER = { clientId: "receiver", username: "receiver", password: "receiver-secret" };
const RECONNECT_MS = 2000;

export class MemoryServer {
  readonly broker: MemoryBroker;
  readonly https: MemoryHttpsServer;
  readonly receiver: Receiver;
  readonly #scheduler: Scheduler;
  #acksToLose = 0;

  constructor(network: MemoryNetwork, scheduler: Scheduler, options: MemoryServerOptions) {
    this.#scheduler = scheduler;
    const users: Record<string, string> = { [RECEIVER.username]: RECEIVER.password };
    for (const device of options.devices) users[device.username] = device.password;
    this.broker = network.addBroker(options.broker, { tls: options.tls, users });
    this.receiver = new Receiver({
      devices: options.devices, listener: options.listener, now: options.now, trace: options.trace,
      publish: (message) => this.#publish(message),
    });
    this.https = network.addHttpsServer(options.https, {
      tls: options.tls,
      handle: (call) => this.receiver.onPost(call.path, call.body),
    });
    this.#connect();
  }

  /** The next `count` acknowledgements are lost on their way back (the data is stored all the same). */
  loseNextAcks(count: number): void {
    this.#acksToLose = count;
  }

  /** The broker restarts: every client is cut off (sessions and queued messages survive, as with persistence). */
  restartBroker(): void {
    this.broker.dropAll("broker restart");
  }

  #connect(): void {
    const events: MqttLinkEvents = {
      onMessage: (topic, payload) => {
        for (const reply of this.receiver.onPublish(topic, payload)) {
          if (this.#acksToLose > 0 && reply.topic.endsWith("/ack")) this.#acksToLose--;
          else this.#publish(reply);
        }
      },
      onClose: () => {
        connection.alive = false;
        this.#scheduler.after(RECONNECT_MS, () => this.#connect());
      },
    };
    const connection: BrokerConnection & { alive: boolean } = { events, alive: true, clientId: "" };
    this.broker.connect(connection, { ...RECEIVER, keepaliveS: 60, cleanSession: false });
    this.broker.subscribe(connection, "up/#", 1);
  }

  #publish(message: Outgoing): void {
    this.broker.publish(message.topic, message.payload);
  }
}
