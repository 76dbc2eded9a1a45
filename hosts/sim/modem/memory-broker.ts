/**
 * An MQTT 3.1.1 broker in memory, in virtual time: user name / password check (CONNACK 4 on
 * a mismatch), client takeover by id, persistent sessions that keep subscriptions and queue
 * QoS 1 messages while the client is away, and a record of everything it received.
 */
import type { MqttConnectParams, MqttLinkEvents } from "./modem-network.js";

export interface ReceivedMessage {
  clientId: string;
  topic: string;
  payload: Uint8Array;
  atMs: number;
}

/** One connected client as the broker sees it. */
export interface BrokerConnection {
  readonly events: MqttLinkEvents;
  readonly alive: boolean;
  clientId: string;
}

interface Session {
  subscriptions: Map<string, number>;
  queue: Array<{ topic: string; payload: Uint8Array }>;
  connection: BrokerConnection | undefined;
  persistent: boolean;
}

export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export class MemoryBroker {
  readonly received: ReceivedMessage[] = [];
  readonly stats = { connects: 0, refused: 0, takeovers: 0 };
  readonly #users: Readonly<Record<string, string>> | undefined;
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;
  readonly #deliver: (connection: BrokerConnection, topic: string, payload: Uint8Array) => void;

  constructor(users: Readonly<Record<string, string>> | undefined, now: () => number, deliver: (connection: BrokerConnection, topic: string, payload: Uint8Array) => void) {
    this.#users = users;
    this.#now = now;
    this.#deliver = deliver;
  }

  /** CONNECT: the CONNACK return code; on 0 the connection is attached to its session. */
  connect(connection: BrokerConnection, params: MqttConnectParams): number {
    if (this.#users && (params.username === undefined || this.#users[params.username] !== params.password)) {
      this.stats.refused++;
      return 4;
    }
    this.stats.connects++;
    let session = this.#sessions.get(params.clientId);
    if (session?.connection) {
      this.stats.takeovers++;
      const old = session.connection;
      session.connection = undefined;
      old.events.onClose("session taken over");
    }
    if (!session || params.cleanSession) {
      session = { subscriptions: new Map(), queue: [], connection: undefined, persistent: !params.cleanSession };
      this.#sessions.set(params.clientId, session);
    }
    session.persistent = !params.cleanSession;
    session.connection = connection;
    connection.clientId = params.clientId;
    for (const message of session.queue.splice(0)) this.#deliver(connection, message.topic, message.payload);
    return 0;
  }

  subscribe(connection: BrokerConnection, filter: string, qos: number): number {
    const session = this.#sessions.get(connection.clientId);
    if (!session || session.connection !== connection) return 128;
    const granted = Math.min(qos, 1);
    session.subscriptions.set(filter, granted);
    return granted;
  }

  /** A PUBLISH from a client. */
  receive(connection: BrokerConnection, topic: string, payload: Uint8Array): void {
    this.received.push({ clientId: connection.clientId, topic, payload: payload.slice(), atMs: this.#now() });
    this.publish(topic, payload);
  }

  /** Routes a message to every subscribed session (the server's downlink). */
  publish(topic: string, payload: Uint8Array): void {
    for (const session of this.#sessions.values()) {
      let qos = -1;
      for (const [filter, granted] of session.subscriptions) if (topicMatches(filter, topic)) qos = Math.max(qos, granted);
      if (qos < 0) continue;
      if (session.connection) this.#deliver(session.connection, topic, payload.slice());
      else if (session.persistent && qos > 0) session.queue.push({ topic, payload: payload.slice() });
    }
  }

  /** The connection is gone (DISCONNECT, network loss, destroy). */
  detach(connection: BrokerConnection): void {
    for (const [clientId, session] of this.#sessions) {
      if (session.connection !== connection) continue;
      session.connection = undefined;
      if (!session.persistent) this.#sessions.delete(clientId);
    }
  }

  /** Closes every client connection from the broker's side. */
  dropAll(reason: string): void {
    for (const session of this.#sessions.values()) {
      const connection = session.connection;
      if (!connection) continue;
      this.detach(connection);
      connection.events.onClose(reason);
    }
  }

  get connectedClients(): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.connection) count++;
    return count;
  }
}
