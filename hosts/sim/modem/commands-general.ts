/**
 * The simulated module's general commands: identification, error format, SIM, functionality,
 * power down, signal, registration, operator, radio configuration, PSM, time and PDP contexts.
 */
import { ACT_CODES } from "./radio-model.js";
import { intArg, stringArg, type Bg95Context, type CommandHandler } from "./bg95-context.js";
import type { Bg95Settings, RegistrationDomain } from "./bg95-settings.js";

export interface GeneralContext extends Bg95Context {
  settings(): Bg95Settings;
  /** AT+CFUN=1,1: answer OK, then restart. */
  restartAfterReply(): void;
  /** AT+QPOWD: answer OK, then power down (with or without the URC). */
  powerDownAfterReply(announce: boolean): void;
  readonly identity: { imei: string; imsi: string; iccid: string; firmware: string };
  readonly timing: { pdpActivationMs: number };
}

const DOMAIN_OF: Record<string, RegistrationDomain> = { "+CEREG": "eps", "+CGREG": "gprs", "+CREG": "cs" };

export function registrationLine(ctx: Bg95Context, settings: Bg95Settings, domain: RegistrationDomain, withMode: boolean): string {
  const prefix = domain === "eps" ? "+CEREG" : domain === "gprs" ? "+CGREG" : "+CREG";
  const stat = ctx.radio.stat(domain);
  const mode = settings.urcMode[domain];
  const head = withMode ? `${prefix}: ${mode},${stat}` : `${prefix}: ${stat}`;
  if (mode < 2 || (stat !== 1 && stat !== 5)) return head;
  return `${head},"1A2B","01A2B3C4",${ACT_CODES[ctx.radio.rat]}`;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

export function generalCommands(ctx: GeneralContext): Map<string, CommandHandler> {
  const s = () => ctx.settings();
  const handlers = new Map<string, CommandHandler>();
  handlers.set("", (_line, reply) => reply.ok());
  handlers.set("E", (line, reply) => {
    const value = line.kind === "exec" ? 0 : intArg(line, 0, 0, 1);
    if (value === undefined) return reply.error();
    s().echo = value === 1;
    reply.ok();
  });
  handlers.set("I", (_line, reply) => reply.ok(["Quectel", "BG95-M3", `Revision: ${ctx.identity.firmware.split("_")[0]}`]));
  handlers.set("+QGMR", (_line, reply) => reply.ok([ctx.identity.firmware]));
  handlers.set("+CGSN", (_line, reply) => reply.ok([ctx.identity.imei]));
  handlers.set("+CIMI", (_line, reply) => (ctx.radio.simPresent ? reply.ok([ctx.identity.imsi]) : reply.error(10)));
  handlers.set("+QCCID", (_line, reply) => (ctx.radio.simPresent ? reply.ok([`+QCCID: ${ctx.identity.iccid}`]) : reply.error(10)));
  handlers.set("+CMEE", (line, reply) => {
    if (line.kind === "read") return reply.ok([`+CMEE: ${s().cmee}`]);
    const value = intArg(line, 0, 0, 2);
    if (value === undefined) return reply.error();
    s().cmee = value;
    reply.ok();
  });
  handlers.set("+CPIN", (line, reply) => {
    if (line.kind !== "read") return reply.error(3);
    if (!ctx.radio.simPresent) return reply.error(10, 40);
    reply.ok(["+CPIN: READY"], 40);
  });
  handlers.set("+CFUN", (line, reply) => {
    if (line.kind === "read") return reply.ok([`+CFUN: ${s().functionality}`]);
    const fun = intArg(line, 0, 0, 4);
    const reset = line.args.length > 1 ? intArg(line, 1, 0, 1) : 0;
    if (fun === undefined || reset === undefined || fun === 2 || fun === 3) return reply.error();
    if (reset === 1) {
      reply.ok([], 60);
      ctx.restartAfterReply();
      return;
    }
    s().functionality = fun;
    if (fun === 1) ctx.radio.radioOn();
    else ctx.radio.radioOff();
    reply.ok([], 200);
  });
  handlers.set("+QPOWD", (line, reply) => {
    const mode = line.kind === "exec" ? 1 : intArg(line, 0, 0, 1);
    if (mode === undefined) return reply.error();
    reply.ok();
    ctx.powerDownAfterReply(mode === 1);
  });
  handlers.set("+CSQ", (_line, reply) => {
    const covered = ctx.radio.registered || (ctx.radio.covered && s().functionality === 1);
    reply.ok([covered ? `+CSQ: ${ctx.radio.csq},99` : "+CSQ: 99,99"]);
  });
  handlers.set("+QCSQ", (_line, reply) => {
    const radio = ctx.radio;
    if (!radio.registered) return reply.ok(["+QCSQ: \"NOSERVICE\""]);
    const rssi = -113 + 2 * radio.csq;
    if (radio.rat === "GSM") return reply.ok([`+QCSQ: "GSM",${rssi}`]);
    reply.ok([`+QCSQ: "${radio.rat}",${rssi},${radio.rsrpDbm},${Math.round((radio.sinrDb + 20) * 5)},${radio.rsrqDb}`]);
  });
  for (const name of ["+CEREG", "+CGREG", "+CREG"]) {
    const domain = DOMAIN_OF[name];
    handlers.set(name, (line, reply) => {
      if (line.kind === "read") return reply.ok([registrationLine(ctx, s(), domain, true)]);
      const mode = intArg(line, 0, 0, domain === "eps" ? 5 : 2);
      if (mode === undefined) return reply.error();
      s().urcMode[domain] = mode;
      s().reported[domain] = ctx.radio.stat(domain);
      reply.ok();
    });
  }
  handlers.set("+COPS", (line, reply) => {
    if (line.kind !== "read") return line.kind === "set" && intArg(line, 0, 0, 0) === 0 ? reply.ok([], 500) : reply.error(3);
    if (!ctx.radio.registered) return reply.ok(["+COPS: 0"], 30);
    reply.ok([`+COPS: 0,0,"${ctx.radio.operator}",${ACT_CODES[ctx.radio.rat]}`], 30);
  });
  handlers.set("+QCFG", (line, reply) => {
    const name = stringArg(line, 0);
    if (name === undefined || !s().qcfg.has(name)) return reply.error();
    if (line.args.length === 1) return reply.ok([`+QCFG: "${name}",${s().qcfg.get(name)}`]);
    const values = line.args.slice(1).map((a) => a.text);
    // The trailing <effect> (1 = take effect now) is not part of the stored value.
    if (name !== "band" && values.length === 2 && values[1] === "1") values.pop();
    if (name === "band" && values.length === 4) values.pop();
    if (!values.every((v) => /^(0x)?[0-9A-Fa-f]+$/.test(v))) return reply.error();
    s().qcfg.set(name, values.join(","));
    reply.ok([], 40);
  });
  handlers.set("+CPSMS", (line, reply) => {
    if (line.kind === "read") return reply.ok([`+CPSMS: ${s().psm}`]);
    const mode = intArg(line, 0, 0, 2);
    if (mode === undefined) return reply.error();
    const timers = line.args.slice(3).map((a) => a.text);
    if (!timers.every((t) => /^[01]{8}$/.test(t))) return reply.error();
    s().psm = mode === 1 ? `1,,,"${timers[0] ?? ""}","${timers[1] ?? ""}"` : "0";
    reply.ok();
  });
  handlers.set("+QLTS", (line, reply) => {
    const mode = line.kind === "exec" ? 0 : intArg(line, 0, 0, 2);
    if (mode === undefined) return reply.error();
    if (!ctx.radio.registered) return reply.ok(["+QLTS: \"\""]);
    const t = new Date(ctx.trueTime());
    const date = `${t.getUTCFullYear()}/${twoDigits(t.getUTCMonth() + 1)}/${twoDigits(t.getUTCDate())}`;
    const time = `${twoDigits(t.getUTCHours())}:${twoDigits(t.getUTCMinutes())}:${twoDigits(t.getUTCSeconds())}`;
    reply.ok([`+QLTS: "${date},${time}+00,0"`]);
  });
  handlers.set("+CCLK", (line, reply) => {
    if (line.kind !== "read") return reply.error(3);
    const t = new Date(ctx.trueTime());
    reply.ok([`+CCLK: "${twoDigits(t.getUTCFullYear() % 100)}/${twoDigits(t.getUTCMonth() + 1)}/${twoDigits(t.getUTCDate())},` +
      `${twoDigits(t.getUTCHours())}:${twoDigits(t.getUTCMinutes())}:${twoDigits(t.getUTCSeconds())}+00"`]);
  });
  handlers.set("+QICSGP", (line, reply) => {
    const context = intArg(line, 0, 1, 16);
    if (context === undefined) return reply.error();
    if (line.args.length === 1) {
      const p = s().apn.get(context) ?? { type: 1, apn: "", user: "", password: "", auth: 0 };
      return reply.ok([`+QICSGP: ${p.type},"${p.apn}","${p.user}","${p.password}",${p.auth}`]);
    }
    const type = intArg(line, 1, 1, 3);
    const apn = stringArg(line, 2);
    const user = line.args.length > 3 ? stringArg(line, 3) : "";
    const password = line.args.length > 4 ? stringArg(line, 4) : "";
    const auth = line.args.length > 5 ? intArg(line, 5, 0, 3) : 0;
    if (type === undefined || apn === undefined || user === undefined || password === undefined || auth === undefined) return reply.error();
    s().apn.set(context, { type, apn, user, password, auth });
    reply.ok();
  });
  handlers.set("+QIACT", (line, reply) => {
    if (line.kind === "read") {
      const lines = [...s().pdp.entries()].map(([ctxId, ip]) => `+QIACT: ${ctxId},1,1,"${ip}"`);
      return reply.ok(lines);
    }
    const context = intArg(line, 0, 1, 16);
    if (context === undefined) return reply.error();
    if (s().pdp.has(context) || !ctx.radio.registered || !s().apn.get(context)?.apn) return reply.error(undefined, 300);
    const alive = ctx.sameBoot();
    ctx.scheduler.after(ctx.timing.pdpActivationMs, () => {
      if (!alive()) return;
      if (!ctx.radio.registered) return reply.error();
      s().pdp.set(context, `10.64.${ctx.random.below(250) + 1}.${ctx.random.below(250) + 2}`);
      reply.ok([], 0);
    });
  });
  handlers.set("+QIDEACT", (line, reply) => {
    const context = intArg(line, 0, 1, 16);
    if (context === undefined) return reply.error();
    s().pdp.delete(context);
    reply.ok([], 300);
  });
  return handlers;
}
