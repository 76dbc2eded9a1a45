/**
 * The in-memory network behind the simulated modem: brokers and HTTPS endpoints by host and
 * port, each with a TLS policy, answering in virtual time with a cellular round trip. No
 * sockets, so driver tests run fast and inside XS.
 */
import type { Scheduler } from "../scheduler.js";
import { MemoryBroker, type BrokerConnection } from "./memory-broker.js";
import type {
  Endpoint, HttpsRequest, HttpsResponse, ModemNetwork, MqttConnectParams, MqttLink, MqttLinkEvents, Outcome, TlsClientParams,
} from "./modem-network.js";
import { parseUrl } from "./modem-network.js";
import { answerRange } from "./http-range.js";
import { negotiate, type ServerTlsPolicy } from "./tls-policy.js";

export interface NetworkLatency {
  /** TCP connect plus the TLS handshake. */
  handshakeMs: number;
  /** One request / answer round trip. */
  roundTripMs: number;
}

export const CAT_M1_LATENCY: NetworkLatency = Object.freeze({ handshakeMs: 1800, roundTripMs: 350 });

export interface HttpsCall {
  method: HttpsRequest["method"];
  path: string;
  contentType: string;
  /** Request head fields beyond the module's own (names in lower case). */
  fields: Readonly<Record<string, string>>;
  body: Uint8Array;
  atMs: number;
}

export interface MemoryHttpsServer {
  readonly requests: HttpsCall[];
  /** Serves `bytes` at `path` to GETs, whole or by Range (http-range.ts); returns the file's URL. */
  publish(path: string, bytes: Uint8Array): string;
}

type HttpsHandler = (call: HttpsCall) => HttpsResponse;

interface Server {
  tls: ServerTlsPolicy;
  broker?: MemoryBroker;
  https?: { handle: HttpsHandler; requests: HttpsCall[] };
}

export class MemoryNetwork implements ModemNetwork {
  readonly latency: NetworkLatency;
  readonly #scheduler: Scheduler;
  readonly #servers = new Map<string, Server>();
  readonly #hosts = new Set<string>();

  constructor(scheduler: Scheduler, latency: NetworkLatency = CAT_M1_LATENCY) {
    this.#scheduler = scheduler;
    this.latency = latency;
  }

  addBroker(endpoint: Endpoint, options: { tls: ServerTlsPolicy; users?: Record<string, string> }): MemoryBroker {
    const broker = new MemoryBroker(options.users, () => this.#scheduler.now, (connection, topic, payload) => {
      this.#scheduler.after(this.latency.roundTripMs / 2, () => {
        if (connection.alive) connection.events.onMessage(topic, payload, 1);
      });
    });
    this.#add(endpoint, { tls: options.tls, broker });
    return broker;
  }

  /** An HTTPS endpoint: GETs are answered from the published files, POSTs by `handle` (404 without one). */
  addHttpsServer(endpoint: Endpoint, options: { tls: ServerTlsPolicy; handle?: HttpsHandler }): MemoryHttpsServer {
    const requests: HttpsCall[] = [];
    const files = new Map<string, Uint8Array>();
    const handle: HttpsHandler = (call) => {
      if (call.method === "GET" || !options.handle) return answerRange(files.get(call.path), call.fields["range"]);
      return options.handle(call);
    };
    this.#add(endpoint, { tls: options.tls, https: { handle, requests } });
    const origin = `https://${endpoint.host}${endpoint.port === 443 ? "" : `:${endpoint.port}`}`;
    return {
      requests,
      publish: (path, bytes) => {
        if (!/^\/[\x21-\x7e]*$/.test(path)) throw new RangeError(`bad path "${path}"`);
        files.set(path, bytes.slice());
        return `${origin}${path}`;
      },
    };
  }

  openMqtt(endpoint: Endpoint, tls: TlsClientParams, events: MqttLinkEvents, done: (outcome: Outcome<MqttLink>) => void): void {
    const server = this.#connect(endpoint, tls, (failure) => done(failure));
    if (!server) return;
    const broker = server.broker;
    if (!broker) return this.#later(this.latency.handshakeMs, () => done({ ok: false, failure: "closed", detail: "not an MQTT server" }));
    this.#later(this.latency.handshakeMs, () => done({ ok: true, value: new MemoryMqttLink(broker, events, this.#scheduler, this.latency) }));
  }

  httpsRequest(request: HttpsRequest, tls: TlsClientParams, done: (outcome: Outcome<HttpsResponse>) => void): void {
    const url = parseUrl(request.url);
    if (!url || !url.secure) return this.#later(0, () => done({ ok: false, failure: "refused", detail: "not an https URL" }));
    const server = this.#connect({ host: url.host, port: url.port }, tls, (failure) => done(failure));
    if (!server) return;
    const https = server.https;
    this.#later(this.latency.handshakeMs + this.latency.roundTripMs, () => {
      if (!https) return done({ ok: false, failure: "closed", detail: "not an HTTPS server" });
      const call: HttpsCall = {
        method: request.method, path: url.path, contentType: request.contentType, fields: request.fields, body: request.body.slice(), atMs: this.#scheduler.now,
      };
      https.requests.push(call);
      done({ ok: true, value: https.handle(call) });
    });
  }

  /** The server at an endpoint after a successful handshake, or undefined after reporting why not. */
  #connect(endpoint: Endpoint, tls: TlsClientParams, fail: (failure: Outcome<never>) => void): Server | undefined {
    const server = this.#servers.get(`${endpoint.host}:${endpoint.port}`);
    if (!server) {
      const failure = this.#hosts.has(endpoint.host) ? "refused" as const : "dns" as const;
      this.#later(this.latency.roundTripMs, () => fail({ ok: false, failure, detail: `${endpoint.host}:${endpoint.port}` }));
      return undefined;
    }
    const handshake = negotiate(tls, server.tls, endpoint.host);
    if (!handshake.ok) {
      this.#later(this.latency.handshakeMs, () => fail(handshake));
      return undefined;
    }
    return server;
  }

  #add(endpoint: Endpoint, server: Server): void {
    this.#hosts.add(endpoint.host);
    this.#servers.set(`${endpoint.host}:${endpoint.port}`, server);
  }

  #later(ms: number, run: () => void): void {
    this.#scheduler.after(ms, run);
  }
}

/** The modem's end of one connection to a MemoryBroker. */
class MemoryMqttLink implements MqttLink, BrokerConnection {
  clientId = "";
  alive = true;
  readonly events: MqttLinkEvents;
  readonly #broker: MemoryBroker;
  readonly #scheduler: Scheduler;
  readonly #latency: NetworkLatency;

  constructor(broker: MemoryBroker, events: MqttLinkEvents, scheduler: Scheduler, latency: NetworkLatency) {
    this.#broker = broker;
    this.#scheduler = scheduler;
    this.#latency = latency;
    this.events = {
      onMessage: (topic, payload, qos) => events.onMessage(topic, payload, qos),
      onClose: (reason) => {
        if (!this.alive) return;
        this.alive = false;
        events.onClose(reason);
      },
    };
  }

  connect(params: MqttConnectParams, done: (outcome: Outcome<number>) => void): void {
    this.#roundTrip(() => {
      const code = this.#broker.connect(this, params);
      if (code !== 0) this.alive = false;
      done({ ok: true, value: code });
    }, done);
  }

  subscribe(topic: string, qos: number, done: (outcome: Outcome<number>) => void): void {
    this.#roundTrip(() => done({ ok: true, value: this.#broker.subscribe(this, topic, qos) }), done);
  }

  publish(topic: string, payload: Uint8Array, _qos: number, done: (outcome: Outcome<void>) => void): void {
    const copy = payload.slice();
    // The PUBLISH is on the wire: it reaches the broker even if the link dies before the PUBACK.
    this.#scheduler.after(this.#latency.roundTripMs / 2, () => this.#broker.receive(this, topic, copy));
    this.#roundTrip(() => done({ ok: true, value: undefined }), done);
  }

  disconnect(done: () => void): void {
    this.#scheduler.after(this.#latency.roundTripMs / 2, () => {
      this.destroy();
      done();
    });
  }

  destroy(): void {
    if (!this.alive) return;
    this.alive = false;
    this.#broker.detach(this);
  }

  #roundTrip(answer: () => void, fail: (outcome: Outcome<never>) => void): void {
    this.#scheduler.after(this.#latency.roundTripMs, () => {
      if (this.alive) answer();
      else fail({ ok: false, failure: "closed", detail: "connection closed" });
    });
  }
}
