/**
 * The module's HTTP(S) client (AT+QHTTPCFG / QHTTPURL / QHTTPPOST / QHTTPGET / QHTTPREAD): the
 * URL and request data arrive in CONNECT data phases, the server's answer is reported by
 * +QHTTPPOST / +QHTTPGET and read back with AT+QHTTPREAD. With `requestheader` 1 the data phase
 * holds the whole request as the firmware wrote it; with `responseheader` 1 the read starts with
 * the server's response head. A request in flight fails when the PDP context drops.
 */
import { intArg, stringArg, type Bg95Context, type CommandHandler, type Reply } from "./bg95-context.js";
import { decodeRawRequest, encodeResponseHead } from "./http-wire.js";
import { parseUrl, type HttpsRequest, type HttpsResponse, type NetworkFailure } from "./modem-network.js";
import type { SslContexts } from "./ssl-contexts.js";

const CONTENT_TYPES = ["application/x-www-form-urlencoded", "text/plain", "application/octet-stream", "multipart/form-data", "application/json"];

/** The HTTP stack's error for each network failure (an unknown error for TLS ones). */
export const NETWORK_ERRORS: Record<NetworkFailure, number> = {
  "dns": 714, "refused": 716, "timeout": 702, "closed": 719, "tls-protocol": 701, "tls-cipher": 701, "tls-certificate": 701,
};
export const HTTP_ERROR = Object.freeze({
  NoRequest: 705, NetworkDeactivated: 709, UrlError: 711, EmptyUrl: 712, SocketClosed: 719, InputTimeout: 726, InvalidParameter: 730,
});

const CONFIG_LIMITS = { contextid: [1, 16], sslctxid: [0, 5], requestheader: [0, 1], responseheader: [0, 1], contenttype: [0, 4] } as const;
type ConfigName = keyof typeof CONFIG_LIMITS;
/** Longest request head taken in custom header mode. */
const MAX_REQUEST_HEAD = 4096;

function isConfigName(name: string | undefined): name is ConfigName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(CONFIG_LIMITS, name);
}

interface InFlight {
  prefix: string;
  settle: (line: string, response?: HttpsResponse) => void;
}

export class HttpStack {
  readonly #ctx: Bg95Context;
  readonly #ssl: SslContexts;
  readonly #config: Record<ConfigName, number> = { contextid: 1, sslctxid: 1, requestheader: 0, responseheader: 0, contenttype: 0 };
  #url: string | undefined;
  #response: HttpsResponse | undefined;
  #inFlight: InFlight | undefined;

  constructor(ctx: Bg95Context, ssl: SslContexts) {
    this.#ctx = ctx;
    this.#ssl = ssl;
  }

  /** The PDP context dropped: a request in flight ends with a socket error. */
  networkLost(): void {
    const request = this.#inFlight;
    if (request) request.settle(`${request.prefix} ${HTTP_ERROR.SocketClosed}`);
  }

  commands(): Map<string, CommandHandler> {
    const handlers = new Map<string, CommandHandler>();
    handlers.set("+QHTTPCFG", (line, reply) => {
      const name = stringArg(line, 0);
      if (!isConfigName(name)) return reply.error();
      if (line.args.length === 1) return reply.ok([`+QHTTPCFG: "${name}",${this.#config[name]}`]);
      const value = intArg(line, 1, CONFIG_LIMITS[name][0], CONFIG_LIMITS[name][1]);
      if (value === undefined) return reply.error();
      this.#config[name] = value;
      reply.ok();
    });
    handlers.set("+QHTTPURL", (line, reply) => {
      if (line.kind === "read") return reply.ok(this.#url ? [`+QHTTPURL: "${this.#url}"`] : []);
      const length = intArg(line, 0, 1, 700);
      const timeoutS = line.args.length > 1 ? intArg(line, 1, 1, 65535) : 60;
      if (length === undefined || timeoutS === undefined) return reply.error();
      reply.collect("connect", length, timeoutS * 1000, (data) => {
        if (!data) return reply.error(HTTP_ERROR.InputTimeout);
        const url = String.fromCharCode(...data);
        if (!parseUrl(url)) return reply.error(HTTP_ERROR.UrlError);
        this.#url = url;
        reply.ok();
      });
    });
    handlers.set("+QHTTPPOST", (line, reply) => {
      const length = intArg(line, 0, 1, 1024 * 1024);
      const inputS = line.args.length > 1 ? intArg(line, 1, 1, 65535) : 60;
      const responseS = line.args.length > 2 ? intArg(line, 2, 1, 65535) : 60;
      if (length === undefined || inputS === undefined || responseS === undefined) return reply.error();
      this.#collectRequest(reply, "POST", length, inputS, responseS);
    });
    handlers.set("+QHTTPGET", (line, reply) => {
      const responseS = line.args.length > 0 ? intArg(line, 0, 1, 65535) : 60;
      const custom = this.#config.requestheader === 1;
      const length = custom ? intArg(line, 1, 1, MAX_REQUEST_HEAD) : 0;
      const inputS = line.args.length > 2 ? intArg(line, 2, 1, 65535) : 60;
      if (responseS === undefined || length === undefined || inputS === undefined) return reply.error(HTTP_ERROR.InvalidParameter);
      if (custom) return this.#collectRequest(reply, "GET", length, inputS, responseS);
      if (!this.#url) return reply.error(HTTP_ERROR.EmptyUrl);
      reply.ok();
      this.#send("+QHTTPGET:", { method: "GET", url: this.#url, contentType: "", fields: {}, body: new Uint8Array(0) }, responseS * 1000);
    });
    handlers.set("+QHTTPREAD", (_line, reply) => {
      const response = this.#response;
      if (!response) return reply.error(HTTP_ERROR.NoRequest);
      let data = response.body;
      if (this.#config.responseheader === 1) {
        const head = Uint8Array.from(encodeResponseHead(response.status, response.fields ?? {}, data.length), (c) => c.charCodeAt(0));
        data = new Uint8Array(head.length + response.body.length);
        data.set(head);
        data.set(response.body, head.length);
      }
      reply.sendData(data);
      this.#ctx.urc("+QHTTPREAD: 0", 40);
    });
    return handlers;
  }

  /** The data phase of a POST or a custom-header GET, then the request. */
  #collectRequest(reply: Reply, method: HttpsRequest["method"], length: number, inputS: number, responseS: number): void {
    if (!this.#url) return reply.error(HTTP_ERROR.EmptyUrl);
    const url = this.#url;
    const prefix = method === "POST" ? "+QHTTPPOST:" : "+QHTTPGET:";
    reply.collect("connect", length, inputS * 1000, (data) => {
      if (!data) return reply.error(HTTP_ERROR.InputTimeout);
      reply.ok();
      const contentType = CONTENT_TYPES[this.#config.contenttype];
      if (this.#config.requestheader === 0) return this.#send(prefix, { method, url, contentType, fields: {}, body: data }, responseS * 1000);
      const raw = decodeRawRequest(data);
      // The module sends what it was given; a server answers a request it cannot read with 400.
      if (!raw) return this.#answer(prefix, { status: 400, body: new Uint8Array(0) });
      const target = parseUrl(url)!;
      this.#send(prefix, {
        method, url: `https://${target.host}:${target.port}${raw.path}`, contentType: raw.fields["content-type"] ?? contentType, fields: raw.fields, body: raw.body,
      }, responseS * 1000);
    });
  }

  #send(prefix: string, request: HttpsRequest, responseMs: number): void {
    const ctx = this.#ctx;
    this.#response = undefined;
    const target = parseUrl(request.url)!;
    if (!ctx.pdpAddress(this.#config.contextid)) return ctx.urc(`${prefix} ${HTTP_ERROR.NetworkDeactivated}`, 100);
    if (!target.secure) return ctx.urc(`${prefix} ${NETWORK_ERRORS.refused}`, 100);
    const tls = this.#ssl.clientParams(this.#config.sslctxid, target.host);
    if (typeof tls === "string") return ctx.urc(`${prefix} ${NETWORK_ERRORS["tls-certificate"]}`, 100);
    const alive = ctx.sameBoot();
    const inFlight: InFlight = {
      prefix,
      settle: (line, response) => {
        if (this.#inFlight !== inFlight) return;
        this.#inFlight = undefined;
        ctx.scheduler.cancel(giveUp);
        if (!alive()) return;
        this.#response = response;
        ctx.urc(line, 0);
      },
    };
    const giveUp = ctx.scheduler.after(responseMs, () => inFlight.settle(`${prefix} ${NETWORK_ERRORS.timeout}`));
    this.#inFlight = inFlight;
    ctx.network.httpsRequest(request, tls, (outcome) => {
      if (!outcome.ok) return inFlight.settle(`${prefix} ${NETWORK_ERRORS[outcome.failure]}`);
      inFlight.settle(`${prefix} 0,${outcome.value.status},${outcome.value.body.length}`, outcome.value);
    });
  }

  /** An answer the module has without asking the network (a request it could not form). */
  #answer(prefix: string, response: HttpsResponse): void {
    this.#response = response;
    this.#ctx.urc(`${prefix} 0,${response.status},${response.body.length}`, 100);
  }
}
