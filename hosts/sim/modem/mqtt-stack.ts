/**
 * The module's MQTT client (AT+QMTCFG / QMTOPEN / QMTCONN / QMTSUB / QMTPUB / QMTDISC /
 * QMTCLOSE and the +QMTRECV / +QMTSTAT URCs), six client slots. Each asynchronous command
 * answers OK first and its result URC once the network has answered.
 */
import { intArg, stringArg, type Bg95Context, type CommandHandler } from "./bg95-context.js";
import type { MqttLink, NetworkFailure } from "./modem-network.js";
import type { SslContexts } from "./ssl-contexts.js";

type SlotState = "idle" | "opening" | "open" | "connecting" | "connected" | "disconnecting";

interface SlotConfig {
  version: number;
  pdpcid: number;
  ssl: number;
  sslctx: number;
  keepalive: number;
  session: number;
  pktTimeout: number;
  retries: number;
  notice: number;
  recvMode: number;
  lengthInUrc: number;
}

interface Slot {
  config: SlotConfig;
  state: SlotState;
  link: MqttLink | undefined;
  host: string;
  port: number;
  /** Bumped when the connection is replaced, so late network answers are ignored. */
  epoch: number;
  nextReceiveId: number;
}

const MAX_PAYLOAD = 4096;
/** `+QMTCONN?` state codes. */
const STATE_CODES: Partial<Record<SlotState, number>> = { opening: 1, open: 1, connecting: 2, connected: 3, disconnecting: 4 };
/** `+QMTOPEN` result for each network failure. */
const OPEN_RESULTS: Record<NetworkFailure, number> = {
  "dns": 4, "refused": 5, "timeout": 5, "closed": 5, "tls-protocol": -1, "tls-cipher": -1, "tls-certificate": -1,
};

function freshSlot(): Slot {
  return {
    config: { version: 4, pdpcid: 1, ssl: 0, sslctx: 0, keepalive: 120, session: 1, pktTimeout: 5, retries: 3, notice: 0, recvMode: 0, lengthInUrc: 0 },
    state: "idle", link: undefined, host: "", port: 0, epoch: 0, nextReceiveId: 1,
  };
}

export class MqttStack {
  readonly #slots: Slot[] = [0, 1, 2, 3, 4, 5].map(freshSlot);
  readonly #ctx: Bg95Context;
  readonly #ssl: SslContexts;

  constructor(ctx: Bg95Context, ssl: SslContexts) {
    this.#ctx = ctx;
    this.#ssl = ssl;
  }

  /** The data connection is gone (coverage, PDP deactivated): every link drops. */
  networkLost(): void {
    this.#slots.forEach((slot, index) => {
      if (slot.state === "idle") return;
      this.#drop(slot);
      this.#ctx.urc(`+QMTSTAT: ${index},1`);
    });
  }

  /** The module restarts or loses power: connections vanish without a word. */
  shutdown(): void {
    for (const slot of this.#slots) this.#drop(slot);
  }

  commands(): Map<string, CommandHandler> {
    const handlers = new Map<string, CommandHandler>();
    handlers.set("+QMTCFG", (line, reply) => this.#configure(line, reply));
    handlers.set("+QMTOPEN", (line, reply) => {
      if (line.kind === "read") {
        return reply.ok(this.#slots.flatMap((s, i) => (s.state !== "idle" && s.state !== "opening" ? [`+QMTOPEN: ${i},"${s.host}",${s.port}`] : [])));
      }
      const index = intArg(line, 0, 0, 5);
      const host = stringArg(line, 1);
      const port = intArg(line, 2, 1, 65535);
      if (index === undefined || !host || port === undefined) return reply.error();
      reply.ok();
      this.#open(index, host, port);
    });
    handlers.set("+QMTCONN", (line, reply) => {
      if (line.kind === "read") {
        return reply.ok(this.#slots.flatMap((s, i) => (STATE_CODES[s.state] ? [`+QMTCONN: ${i},${STATE_CODES[s.state]}`] : [])));
      }
      const index = intArg(line, 0, 0, 5);
      const clientId = stringArg(line, 1);
      const username = line.args.length > 2 ? stringArg(line, 2) : undefined;
      const password = line.args.length > 3 ? stringArg(line, 3) : undefined;
      if (index === undefined || !clientId) return reply.error();
      const slot = this.#slots[index];
      if (slot.state !== "open" || !slot.link) return reply.error();
      reply.ok();
      this.#connect(index, slot, { clientId, username, password });
    });
    handlers.set("+QMTSUB", (line, reply) => {
      const index = intArg(line, 0, 0, 5);
      const msgId = intArg(line, 1, 1, 65535);
      const topic = stringArg(line, 2);
      const qos = intArg(line, 3, 0, 2);
      if (index === undefined || msgId === undefined || !topic || qos === undefined) return reply.error();
      const slot = this.#slots[index];
      if (slot.state !== "connected" || !slot.link) return reply.error();
      reply.ok();
      const epoch = slot.epoch;
      slot.link.subscribe(topic, qos, (outcome) => {
        if (slot.epoch !== epoch) return;
        this.#ctx.urc(outcome.ok ? `+QMTSUB: ${index},${msgId},0,${outcome.value}` : `+QMTSUB: ${index},${msgId},2`, 0);
      });
    });
    handlers.set("+QMTPUB", (line, reply) => this.#publish(line, reply));
    handlers.set("+QMTDISC", (line, reply) => {
      const index = intArg(line, 0, 0, 5);
      if (index === undefined) return reply.error();
      const slot = this.#slots[index];
      if (slot.state === "idle" || !slot.link) return reply.error();
      reply.ok();
      const link = slot.link;
      slot.state = "disconnecting";
      const epoch = slot.epoch;
      link.disconnect(() => {
        if (slot.epoch !== epoch) return;
        this.#drop(slot);
        this.#ctx.urc(`+QMTDISC: ${index},0`, 0);
      });
    });
    handlers.set("+QMTCLOSE", (line, reply) => {
      const index = intArg(line, 0, 0, 5);
      if (index === undefined) return reply.error();
      const slot = this.#slots[index];
      if (slot.state === "idle") return reply.error();
      reply.ok();
      this.#drop(slot);
      this.#ctx.urc(`+QMTCLOSE: ${index},0`, 80);
    });
    return handlers;
  }

  #configure(line: Parameters<CommandHandler>[0], reply: Parameters<CommandHandler>[1]): void {
    const name = stringArg(line, 0);
    const index = intArg(line, 1, 0, 5);
    if (name === undefined || index === undefined) return reply.error();
    const config = this.#slots[index].config;
    const fields: Record<string, Array<[keyof SlotConfig, number, number]>> = {
      "version": [["version", 3, 4]],
      "pdpcid": [["pdpcid", 1, 16]],
      "ssl": [["ssl", 0, 1], ["sslctx", 0, 5]],
      "keepalive": [["keepalive", 0, 3600]],
      "session": [["session", 0, 1]],
      "timeout": [["pktTimeout", 1, 60], ["retries", 0, 10], ["notice", 0, 1]],
      "recv/mode": [["recvMode", 0, 1], ["lengthInUrc", 0, 1]],
    };
    const spec = fields[name];
    if (!spec) return reply.error();
    if (line.args.length === 2) return reply.ok([`+QMTCFG: "${name}",${spec.map(([key]) => config[key]).join(",")}`]);
    const values: number[] = [];
    for (let i = 0; i < spec.length && i + 2 < line.args.length; i++) {
      const value = intArg(line, i + 2, spec[i][1], spec[i][2]);
      if (value === undefined) return reply.error();
      values.push(value);
    }
    values.forEach((value, i) => { config[spec[i][0]] = value; });
    reply.ok();
  }

  #open(index: number, host: string, port: number): void {
    const ctx = this.#ctx;
    const slot = this.#slots[index];
    if (slot.state !== "idle") return ctx.urc(`+QMTOPEN: ${index},2`, 20);
    if (!ctx.pdpAddress(slot.config.pdpcid)) return ctx.urc(`+QMTOPEN: ${index},3`, 100);
    // The simulated firmware models the TLS path only, as the product uses no other.
    const tls = slot.config.ssl ? this.#ssl.clientParams(slot.config.sslctx, host) : "plain TCP not modelled";
    if (typeof tls === "string") return ctx.urc(`+QMTOPEN: ${index},-1`, 100);
    slot.state = "opening";
    slot.host = host;
    slot.port = port;
    const epoch = ++slot.epoch;
    const alive = ctx.sameBoot();
    const giveUp = ctx.scheduler.after(this.#ssl.negotiateTimeMs(slot.config.sslctx), () => {
      if (slot.epoch !== epoch || !alive()) return;
      slot.epoch++;
      slot.state = "idle";
      ctx.urc(`+QMTOPEN: ${index},-1`, 0);
    });
    ctx.network.openMqtt({ host, port }, tls, {
      onMessage: (topic, payload, qos) => {
        if (slot.epoch !== epoch || !alive() || slot.state !== "connected") return;
        const msgId = qos > 0 ? slot.nextReceiveId++ : 0;
        if (slot.config.lengthInUrc) ctx.urcWithPayload(`+QMTRECV: ${index},${msgId},"${topic}",${payload.length},"`, payload, "\"");
        else ctx.urc(`+QMTRECV: ${index},${msgId},"${topic}","${String.fromCharCode(...payload)}"`, 0);
      },
      onClose: () => {
        if (slot.epoch !== epoch || !alive() || slot.state === "disconnecting") return;
        this.#drop(slot);
        ctx.urc(`+QMTSTAT: ${index},1`, 0);
      },
    }, (outcome) => {
      if (!outcome.ok) {
        if (slot.epoch !== epoch || !alive()) return;
        ctx.scheduler.cancel(giveUp);
        slot.state = "idle";
        return ctx.urc(`+QMTOPEN: ${index},${OPEN_RESULTS[outcome.failure]}`, 0);
      }
      if (slot.epoch !== epoch || !alive()) return outcome.value.destroy();
      ctx.scheduler.cancel(giveUp);
      slot.link = outcome.value;
      slot.state = "open";
      ctx.urc(`+QMTOPEN: ${index},0`, 0);
    });
  }

  #connect(index: number, slot: Slot, who: { clientId: string; username: string | undefined; password: string | undefined }): void {
    const ctx = this.#ctx;
    const link = slot.link!;
    const epoch = slot.epoch;
    slot.state = "connecting";
    const deadline = ctx.scheduler.after(slot.config.pktTimeout * 1000 * (slot.config.retries + 1), () => {
      if (slot.epoch !== epoch) return;
      this.#drop(slot);
      ctx.urc(`+QMTCONN: ${index},2`, 0);
    });
    link.connect({ ...who, keepaliveS: slot.config.keepalive, cleanSession: slot.config.session === 1 }, (outcome) => {
      if (slot.epoch !== epoch) return;
      ctx.scheduler.cancel(deadline);
      if (!outcome.ok) {
        this.#drop(slot);
        return ctx.urc(`+QMTCONN: ${index},2`, 0);
      }
      if (outcome.value !== 0) {
        // The broker closes the connection after a refusing CONNACK.
        this.#drop(slot);
        return ctx.urc(`+QMTCONN: ${index},0,${outcome.value}`, 0);
      }
      slot.state = "connected";
      ctx.urc(`+QMTCONN: ${index},0,0`, 0);
    });
  }

  #publish(line: Parameters<CommandHandler>[0], reply: Parameters<CommandHandler>[1]): void {
    const index = intArg(line, 0, 0, 5);
    const msgId = intArg(line, 1, 0, 65535);
    const qos = intArg(line, 2, 0, 2);
    const retain = intArg(line, 3, 0, 1);
    const topic = stringArg(line, 4);
    const length = line.args.length > 5 ? intArg(line, 5, 1, MAX_PAYLOAD) : "ctrl-z";
    if (index === undefined || msgId === undefined || qos === undefined || retain === undefined || !topic || length === undefined) return reply.error();
    if ((qos === 0) !== (msgId === 0)) return reply.error();
    const slot = this.#slots[index];
    if (slot.state !== "connected" || !slot.link) return reply.error();
    reply.collect("prompt", length, 90_000, (payload) => {
      if (!payload) return reply.error();
      reply.ok();
      this.#sendPublish(index, slot, msgId, topic, payload, qos);
    });
  }

  #sendPublish(index: number, slot: Slot, msgId: number, topic: string, payload: Uint8Array, qos: number): void {
    const ctx = this.#ctx;
    const link = slot.link;
    if (!link || slot.state !== "connected") return ctx.urc(`+QMTPUB: ${index},${msgId},2`);
    const drop = ctx.faults.dropLinkOnPublish;
    if (drop) {
      ctx.faults.dropLinkOnPublish = undefined;
      if (drop === "after-delivery") link.publish(topic, payload, qos, () => undefined);
      this.#drop(slot);
      return ctx.urc(`+QMTSTAT: ${index},1`, 300);
    }
    const epoch = slot.epoch;
    let tries = 0;
    let retry = ctx.scheduler.after(slot.config.pktTimeout * 1000, function again(this: void) {
      if (slot.epoch !== epoch) return;
      tries++;
      if (tries > slot.config.retries) return ctx.urc(`+QMTPUB: ${index},${msgId},2`, 0);
      ctx.urc(`+QMTPUB: ${index},${msgId},1,${tries}`, 0);
      retry = ctx.scheduler.after(slot.config.pktTimeout * 1000, again);
    });
    link.publish(topic, payload, qos, (outcome) => {
      if (slot.epoch !== epoch) return;
      ctx.scheduler.cancel(retry);
      ctx.urc(`+QMTPUB: ${index},${msgId},${outcome.ok ? 0 : 2}`, 0);
    });
  }

  #drop(slot: Slot): void {
    slot.epoch++;
    const link = slot.link;
    slot.link = undefined;
    slot.state = "idle";
    link?.destroy();
  }
}
