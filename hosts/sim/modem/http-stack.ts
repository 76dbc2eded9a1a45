/**
 * The module's HTTP(S) client (AT+QHTTPCFG / QHTTPURL / QHTTPPOST / QHTTPREAD): the URL and
 * body arrive in CONNECT data phases, the server's answer is reported by +QHTTPPOST and read
 * back with AT+QHTTPREAD.
 */
import { intArg, stringArg, type Bg95Context, type CommandHandler } from "./bg95-context.js";
import { parseUrl, type HttpsResponse, type NetworkFailure } from "./modem-network.js";
import type { SslContexts } from "./ssl-contexts.js";

const CONTENT_TYPES = ["application/x-www-form-urlencoded", "text/plain", "application/octet-stream", "multipart/form-data", "application/json"];

/** The HTTP stack's error for each network failure (an unknown error for TLS ones). */
const POST_ERRORS: Record<NetworkFailure, number> = {
  "dns": 714, "refused": 716, "timeout": 702, "closed": 719, "tls-protocol": 701, "tls-cipher": 701, "tls-certificate": 701,
};
export const HTTP_ERROR = Object.freeze({ NoRequest: 705, NetworkDeactivated: 709, UrlError: 711, EmptyUrl: 712, InputTimeout: 726 });

const CONFIG_LIMITS = { contextid: [1, 16], sslctxid: [0, 5], requestheader: [0, 1], responseheader: [0, 1], contenttype: [0, 4] } as const;
type ConfigName = keyof typeof CONFIG_LIMITS;

function isConfigName(name: string | undefined): name is ConfigName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(CONFIG_LIMITS, name);
}

export class HttpStack {
  readonly #ctx: Bg95Context;
  readonly #ssl: SslContexts;
  readonly #config: Record<ConfigName, number> = { contextid: 1, sslctxid: 1, requestheader: 0, responseheader: 0, contenttype: 0 };
  #url: string | undefined;
  #response: HttpsResponse | undefined;

  constructor(ctx: Bg95Context, ssl: SslContexts) {
    this.#ctx = ctx;
    this.#ssl = ssl;
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
      if (!this.#url) return reply.error(HTTP_ERROR.EmptyUrl);
      const url = this.#url;
      reply.collect("connect", length, inputS * 1000, (body) => {
        if (!body) return reply.error(HTTP_ERROR.InputTimeout);
        reply.ok();
        this.#post(url, body, responseS * 1000);
      });
    });
    handlers.set("+QHTTPREAD", (_line, reply) => {
      const response = this.#response;
      if (!response) return reply.error(HTTP_ERROR.NoRequest);
      reply.sendData(response.body);
      this.#ctx.urc("+QHTTPREAD: 0", 40);
    });
    return handlers;
  }

  #post(url: string, body: Uint8Array, responseMs: number): void {
    const ctx = this.#ctx;
    this.#response = undefined;
    const target = parseUrl(url)!;
    if (!ctx.pdpAddress(this.#config.contextid)) return ctx.urc(`+QHTTPPOST: ${HTTP_ERROR.NetworkDeactivated}`, 100);
    if (!target.secure) return ctx.urc(`+QHTTPPOST: ${POST_ERRORS.refused}`, 100);
    const tls = this.#ssl.clientParams(this.#config.sslctxid, target.host);
    if (typeof tls === "string") return ctx.urc(`+QHTTPPOST: ${POST_ERRORS["tls-certificate"]}`, 100);
    const alive = ctx.sameBoot();
    let answered = false;
    const giveUp = ctx.scheduler.after(responseMs, () => {
      if (answered || !alive()) return;
      answered = true;
      ctx.urc(`+QHTTPPOST: ${POST_ERRORS.timeout}`, 0);
    });
    const contentType = CONTENT_TYPES[this.#config.contenttype];
    ctx.network.httpsRequest({ method: "POST", url, contentType, body }, tls, (outcome) => {
      if (answered || !alive()) return;
      answered = true;
      ctx.scheduler.cancel(giveUp);
      if (!outcome.ok) return ctx.urc(`+QHTTPPOST: ${POST_ERRORS[outcome.failure]}`, 0);
      this.#response = outcome.value;
      ctx.urc(`+QHTTPPOST: 0,${outcome.value.status},${outcome.value.body.length}`, 0);
    });
  }
}
