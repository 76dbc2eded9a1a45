/**
 * What the simulated BG95's firmware needs from the outside world: a TLS-protected MQTT
 * connection and an HTTPS request. The in-memory network answers in virtual time (fast, and
 * inside XS); the Node adapter (hosts/sim/node/network) makes real TLS connections.
 */

export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

/** The client side of a handshake, as the modem's SSL context describes it. */
export interface TlsClientParams {
  /** Versions the client offers (BG95 `sslversion`: 3 = TLS 1.2 only). */
  versions: readonly TlsVersion[];
  /** IANA ids of the suites offered (one, unless `ciphersuite` is 0xFFFF). */
  suites: readonly number[];
  /** PEM of the trusted CA; undefined with `seclevel` 0 (no verification). */
  caPem: Uint8Array | undefined;
  /** The name sent in the SNI extension, when SNI is on. */
  serverName: string | undefined;
}

export interface Endpoint {
  host: string;
  port: number;
}

/** Why a connection or request failed, in the terms the modem reports. */
export type NetworkFailure =
  | "dns"
  | "refused"
  | "tls-protocol"
  | "tls-cipher"
  | "tls-certificate"
  | "timeout"
  | "closed";

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: NetworkFailure; detail: string };

export interface MqttConnectParams {
  clientId: string;
  username: string | undefined;
  password: string | undefined;
  keepaliveS: number;
  cleanSession: boolean;
}

export interface MqttLinkEvents {
  onMessage(topic: string, payload: Uint8Array, qos: number): void;
  /** The connection ended without the modem asking. */
  onClose(reason: string): void;
}

/** An open TLS connection to a broker, on which the modem speaks MQTT 3.1.1. */
export interface MqttLink {
  /** Sends CONNECT; the outcome carries the CONNACK return code (0 accepted, 4 bad credentials). */
  connect(params: MqttConnectParams, done: (outcome: Outcome<number>) => void): void;
  /** Sends SUBSCRIBE; the outcome carries the granted QoS (128: refused). */
  subscribe(topic: string, qos: number, done: (outcome: Outcome<number>) => void): void;
  /** Sends PUBLISH; done on PUBACK (QoS 1) or once written (QoS 0). */
  publish(topic: string, payload: Uint8Array, qos: number, done: (outcome: Outcome<void>) => void): void;
  /** Sends DISCONNECT and closes. */
  disconnect(done: () => void): void;
  /** Drops the connection without a word (a fault, or AT+QMTCLOSE). */
  destroy(): void;
}

export interface HttpsRequest {
  method: "POST" | "GET";
  /** Absolute `https://host:port/path` URL. */
  url: string;
  contentType: string;
  /** Further request head fields (names in lower case), e.g. `range` from a custom header. */
  fields: Readonly<Record<string, string>>;
  body: Uint8Array;
}

export interface HttpsResponse {
  status: number;
  /** Response head fields beyond the length (names in lower case), e.g. `content-range`. */
  fields?: Readonly<Record<string, string>>;
  body: Uint8Array;
}

export interface ModemNetwork {
  /** TCP connect and TLS handshake (what AT+QMTOPEN does with SSL on). */
  openMqtt(endpoint: Endpoint, tls: TlsClientParams, events: MqttLinkEvents, done: (outcome: Outcome<MqttLink>) => void): void;
  httpsRequest(request: HttpsRequest, tls: TlsClientParams, done: (outcome: Outcome<HttpsResponse>) => void): void;
}

/** Splits an absolute http(s) URL; undefined when it is not one. */
export function parseUrl(url: string): { secure: boolean; host: string; port: number; path: string } | undefined {
  const match = /^(https?):\/\/([^/:?#]+)(?::(\d{1,5}))?(\/[^#]*)?$/.exec(url);
  if (!match) return undefined;
  const secure = match[1] === "https";
  return { secure, host: match[2], port: match[3] ? Number(match[3]) : secure ? 443 : 80, path: match[4] ?? "/" };
}
