/**
 * AT+QSSLCFG: the module's six SSL contexts, and the client side of a handshake they describe
 * (versions, suites, the trusted CA from the file system, SNI).
 */
import { ALL_SUITES, SUPPORTED_SUITES } from "./cipher-suites.js";
import { intArg, stringArg, type Bg95Context, type CommandHandler } from "./bg95-context.js";
import type { TlsClientParams, TlsVersion } from "./modem-network.js";

interface SslContext {
  sslversion: number;
  ciphersuite: number;
  seclevel: number;
  cacert: string;
  sni: number;
  ignorelocaltime: number;
  negotiatetime: number;
}

const VERSIONS: Record<number, readonly TlsVersion[]> = {
  1: ["TLSv1"],
  2: ["TLSv1.1"],
  3: ["TLSv1.2"],
  4: ["TLSv1", "TLSv1.1", "TLSv1.2"],
};

function freshContext(): SslContext {
  return { sslversion: 4, ciphersuite: ALL_SUITES, seclevel: 0, cacert: "", sni: 0, ignorelocaltime: 1, negotiatetime: 300 };
}

export class SslContexts {
  readonly #contexts: SslContext[] = [0, 1, 2, 3, 4, 5].map(freshContext);
  readonly #ctx: Bg95Context;

  constructor(ctx: Bg95Context) {
    this.#ctx = ctx;
  }

  /** The handshake parameters of a context, or a reason it cannot start (missing CA file). */
  clientParams(context: number, serverName: string): TlsClientParams | string {
    const c = this.#contexts[context];
    if (!c) return "no such SSL context";
    const versions = VERSIONS[c.sslversion];
    if (!versions) return "SSL 3.0 is not supported";
    let caPem: Uint8Array | undefined;
    if (c.seclevel >= 1) {
      caPem = this.#ctx.files.get(c.cacert);
      if (!caPem) return `CA file "${c.cacert}" not found`;
    }
    const suites = c.ciphersuite === ALL_SUITES ? [...SUPPORTED_SUITES.keys()] : [c.ciphersuite];
    return { versions, suites, caPem, serverName: c.sni ? serverName : undefined };
  }

  negotiateTimeMs(context: number): number {
    return (this.#contexts[context]?.negotiatetime ?? 300) * 1000;
  }

  commands(): Map<string, CommandHandler> {
    const handlers = new Map<string, CommandHandler>();
    handlers.set("+QSSLCFG", (line, reply) => {
      const name = stringArg(line, 0);
      const context = intArg(line, 1, 0, 5);
      if (name === undefined || context === undefined) return reply.error();
      const c = this.#contexts[context];
      const show = (value: string) => reply.ok([`+QSSLCFG: "${name}",${context},${value}`]);
      const reading = line.args.length === 2;
      switch (name) {
        case "sslversion": case "seclevel": case "sni": case "ignorelocaltime": case "negotiatetime": {
          if (reading) return show(String(c[name]));
          const limits = { sslversion: 4, seclevel: 2, sni: 1, ignorelocaltime: 1, negotiatetime: 300 }[name];
          const value = intArg(line, 2, name === "negotiatetime" ? 10 : 0, limits);
          if (value === undefined) return reply.error();
          c[name] = value;
          return reply.ok();
        }
        case "ciphersuite": {
          if (reading) return show(`0X${c.ciphersuite.toString(16).toUpperCase().padStart(4, "0")}`);
          const text = line.args[2]?.text ?? "";
          const suite = /^0[xX][0-9A-Fa-f]{1,4}$/.test(text) ? parseInt(text.slice(2), 16) : NaN;
          if (suite !== ALL_SUITES && !SUPPORTED_SUITES.has(suite)) return reply.error();
          c.ciphersuite = suite;
          return reply.ok();
        }
        case "cacert": {
          if (reading) return show(`"${c.cacert}"`);
          const file = stringArg(line, 2);
          if (file === undefined) return reply.error();
          c.cacert = file;
          return reply.ok();
        }
        default:
          return reply.error();
      }
    });
    return handlers;
  }
}
