/**
 * The simulated modem's network made real: TLS 1.2 with exactly the suites the modem's SSL
 * context offers (Node `tls`, min and max version from `sslversion`, `ciphers` set to the
 * suites' OpenSSL names), the server verified against the CA file uploaded to the modem, SNI;
 * MQTT 3.1.1 (the `mqtt` package) over that TLS socket; HTTPS with `https.request`, a GET with
 * the fields of the modem's custom request head (Range) and the response head's fields back.
 *
 * Virtual time stands still while a request is out (`scheduler.hold`), and answers are put
 * back into the simulation as events at the virtual time they were asked at. A request the
 * real world never answers fails after `realTimeoutMs` of wall-clock time.
 */
import type { IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { connect as tlsConnect, type ConnectionOptions, type SecureVersion, type TLSSocket } from "node:tls";
import { MqttClient, type IClientOptions } from "mqtt";
import type { Scheduler } from "../../scheduler.js";
import { SUPPORTED_SUITES } from "../../modem/cipher-suites.js";
import {
  parseUrl, type Endpoint, type HttpsRequest, type HttpsResponse, type ModemNetwork, type MqttConnectParams, type MqttLink,
  type MqttLinkEvents, type NetworkFailure, type Outcome, type TlsClientParams, type TlsVersion,
} from "../../modem/modem-network.js";

export interface NodeNetworkOptions {
  realTimeoutMs?: number;
  /** Name -> address, like /etc/hosts for the simulated world (e.g. a broker name -> 127.0.0.1). */
  hosts?: Readonly<Record<string, string>>;
}

/** One real request: holds virtual time until it settles, then delivers in virtual time. */
class Pending<T> {
  #settled = false;
  readonly #release: () => void;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(readonly scheduler: Scheduler, reason: string, timeoutMs: number, readonly done: (outcome: Outcome<T>) => void) {
    this.#release = scheduler.hold(reason);
    this.#timer = setTimeout(() => this.fail("timeout", `${reason}: no answer in ${timeoutMs} ms`), timeoutMs);
  }

  succeed(value: T): void {
    this.#settle({ ok: true, value });
  }

  fail(failure: NetworkFailure, detail: string): void {
    this.#settle({ ok: false, failure, detail });
  }

  #settle(outcome: Outcome<T>): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.scheduler.after(0, () => this.done(outcome));
    this.#release();
  }
}

const VERSION_ORDER: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

/**
 * Node TLS client options for the modem's SSL context, connecting to `address`. The server's
 * certificate is checked against the SNI name, or the address when SNI is off.
 */
export function tlsOptions(params: TlsClientParams, address: string, port: number): ConnectionOptions {
  const versions = VERSION_ORDER.filter((v) => params.versions.indexOf(v) >= 0);
  const names = params.suites.map((id) => SUPPORTED_SUITES.get(id)?.openssl).filter((n): n is string => n !== undefined);
  const name = params.serverName;
  return {
    host: address,
    port,
    minVersion: versions[0] as SecureVersion,
    maxVersion: versions[versions.length - 1] as SecureVersion,
    ciphers: names.join(":"),
    ca: params.caPem ? [Buffer.from(params.caPem).toString("utf8")] : undefined,
    rejectUnauthorized: params.caPem !== undefined,
    // An empty server name keeps Node from sending SNI (an address is no SNI name either).
    servername: name && !isIP(name) ? name : "",
  };
}

/** What the modem would report for a Node socket or TLS error. */
export function classifyFailure(error: Error & { code?: string }): NetworkFailure {
  const code = `${error.code ?? ""} ${error.message}`;
  if (/ENOTFOUND|EAI_AGAIN/.test(code)) return "dns";
  if (/ECONNREFUSED/.test(code)) return "refused";
  if (/ETIMEDOUT/.test(code)) return "timeout";
  if (/PROTOCOL|VERSION/i.test(code)) return "tls-protocol";
  if (/CIPHER|HANDSHAKE_FAILURE/i.test(code)) return "tls-cipher";
  if (/CERT|VERIFY|SELF_SIGNED|ALTNAME|ISSUER/i.test(code)) return "tls-certificate";
  return "closed";
}

/** The response head fields the modem would print, except the length it prints itself. */
function responseFields(headers: IncomingHttpHeaders): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || name === "content-length" || name === "transfer-encoding") continue;
    fields[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return fields;
}

export class NodeNetwork implements ModemNetwork {
  readonly #scheduler: Scheduler;
  readonly #timeoutMs: number;
  readonly #hosts: Readonly<Record<string, string>>;

  constructor(scheduler: Scheduler, options: NodeNetworkOptions = {}) {
    this.#scheduler = scheduler;
    this.#timeoutMs = options.realTimeoutMs ?? 10_000;
    this.#hosts = options.hosts ?? {};
  }

  #address(host: string): string {
    return this.#hosts[host] ?? host;
  }

  openMqtt(endpoint: Endpoint, tls: TlsClientParams, events: MqttLinkEvents, done: (outcome: Outcome<MqttLink>) => void): void {
    const pending = new Pending<MqttLink>(this.#scheduler, "tls connect", this.#timeoutMs, done);
    const socket = tlsConnect(tlsOptions(tls, this.#address(endpoint.host), endpoint.port));
    socket.once("secureConnect", () => pending.succeed(new NodeMqttLink(socket, events, this.#scheduler, this.#timeoutMs)));
    socket.once("error", (error) => {
      pending.fail(classifyFailure(error), error.message);
      socket.destroy();
    });
  }

  httpsRequest(request: HttpsRequest, tls: TlsClientParams, done: (outcome: Outcome<HttpsResponse>) => void): void {
    const url = parseUrl(request.url);
    const pending = new Pending<HttpsResponse>(this.#scheduler, "https request", this.#timeoutMs, done);
    if (!url || !url.secure) return pending.fail("refused", "not an https URL");
    // A GET carries no body; a custom request head (e.g. Range) travels as it is.
    const headers: Record<string, string | number> = request.method === "GET" ? {} : { "content-type": request.contentType, "content-length": request.body.length };
    for (const name of Object.keys(request.fields)) if (name !== "host") headers[name] = request.fields[name];
    const req = httpsRequest({
      ...tlsOptions(tls, this.#address(url.host), url.port),
      path: url.path,
      method: request.method,
      agent: false,
      headers,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => pending.succeed({ status: res.statusCode ?? 0, fields: responseFields(res.headers), body: new Uint8Array(Buffer.concat(chunks)) }));
      res.on("error", (error) => pending.fail(classifyFailure(error), error.message));
    });
    req.on("error", (error) => pending.fail(classifyFailure(error), error.message));
    req.end(Buffer.from(request.body));
  }
}

/** MQTT 3.1.1 over one established TLS socket, as the modem's MQTT client. */
class NodeMqttLink implements MqttLink {
  readonly #socket: TLSSocket;
  readonly #events: MqttLinkEvents;
  readonly #scheduler: Scheduler;
  readonly #timeoutMs: number;
  #client: MqttClient | undefined;
  #endedByModem = false;

  constructor(socket: TLSSocket, events: MqttLinkEvents, scheduler: Scheduler, timeoutMs: number) {
    this.#socket = socket;
    this.#events = events;
    this.#scheduler = scheduler;
    this.#timeoutMs = timeoutMs;
    socket.on("close", () => {
      if (!this.#endedByModem) this.#scheduler.after(0, () => events.onClose("connection closed by peer"));
    });
  }

  connect(params: MqttConnectParams, done: (outcome: Outcome<number>) => void): void {
    const pending = new Pending<number>(this.#scheduler, "mqtt connect", this.#timeoutMs, done);
    const options: IClientOptions = {
      protocolVersion: 4,
      clientId: params.clientId,
      keepalive: params.keepaliveS,
      clean: params.cleanSession,
      reconnectPeriod: 0,
      connectTimeout: this.#timeoutMs,
    };
    if (params.username !== undefined) options.username = params.username;
    if (params.password !== undefined) options.password = params.password;
    const client = new MqttClient(() => this.#socket, options);
    this.#client = client;
    client.once("connect", () => pending.succeed(0));
    client.on("error", (error: Error & { code?: number | string }) => {
      if (typeof error.code === "number" && error.code >= 1 && error.code <= 5) {
        // A refusing CONNACK: the broker closes the connection, which is no surprise then.
        this.#endedByModem = true;
        return pending.succeed(error.code);
      }
      pending.fail("closed", error.message);
    });
    client.on("message", (topic, payload, packet) => {
      const copy = new Uint8Array(payload);
      this.#scheduler.after(0, () => this.#events.onMessage(topic, copy, packet.qos));
    });
  }

  subscribe(topic: string, qos: number, done: (outcome: Outcome<number>) => void): void {
    const pending = new Pending<number>(this.#scheduler, "mqtt subscribe", this.#timeoutMs, done);
    const client = this.#client;
    if (!client) return pending.fail("closed", "not connected");
    client.subscribe(topic, { qos: qos as 0 | 1 | 2 }, (error, granted) => {
      if (error) return pending.fail("closed", error.message);
      pending.succeed(granted?.[0]?.qos ?? 128);
    });
  }

  publish(topic: string, payload: Uint8Array, qos: number, done: (outcome: Outcome<void>) => void): void {
    const pending = new Pending<void>(this.#scheduler, "mqtt publish", this.#timeoutMs, done);
    const client = this.#client;
    if (!client) return pending.fail("closed", "not connected");
    client.publish(topic, Buffer.from(payload), { qos: qos as 0 | 1 | 2 }, (error) => {
      if (error) pending.fail("closed", error.message);
      else pending.succeed(undefined);
    });
  }

  disconnect(done: () => void): void {
    this.#endedByModem = true;
    const pending = new Pending<void>(this.#scheduler, "mqtt disconnect", this.#timeoutMs, () => done());
    const client = this.#client;
    if (!client) {
      this.#socket.end();
      return pending.succeed(undefined);
    }
    client.end(false, {}, () => pending.succeed(undefined));
  }

  destroy(): void {
    this.#endedByModem = true;
    this.#client?.end(true);
    this.#socket.destroy();
  }
}
