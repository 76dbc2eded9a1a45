/**
 * MQTT over the module's own stack (client index 0, SSL context 1): configuration, open (TCP +
 * TLS), CONNECT with the device's credentials, SUBSCRIBE and QoS 1 PUBLISH in the fixed-length
 * form. Every asynchronous command completes on its URC; at most one is in flight, and a
 * `+QMTSTAT` (link gone) ends it at once instead of letting it wait out its time limit.
 */
import type { AtCommand } from "../at/at-command.js";
import type { UrcWait } from "../at/urc-table.js";
import type { Bg9xModem, Done } from "./bg9x-modem.js";
import { TIMEOUTS } from "./command-timeouts.js";
import { checkAtString, numericFields } from "./fields.js";
import { modemError, type ModemError } from "./modem-error.js";
import {
  CONNACK_CODES, MQTT_OPEN_RESULTS, MqttSendResult, parseMqttAck, parseMqttConnect, parseMqttOutcome,
} from "./mqtt-results.js";
import { sendAll } from "./network-setup.js";
import { transferTimeMs } from "../at/serial-link.js";

export const MQTT_CLIENT = 0;

export interface MqttSettings {
  host: string;
  port: number;
  sslContext: number;
  pdpContext: number;
  clientId: string;
  username: string;
  password: string;
  keepaliveS: number;
  /** False keeps the broker session (subscriptions, queued QoS 1 downlink) between connections. */
  cleanSession: boolean;
}

/** Largest payload `AT+QMTPUB` takes in one go. */
export const MAX_PAYLOAD = 4096;

export function checkMqttSettings(settings: MqttSettings): string | undefined {
  if (!settings.clientId || settings.clientId.length > 64) return "MQTT client id must be 1..64 characters";
  if (!(settings.keepaliveS >= 10 && settings.keepaliveS <= 3600)) return "MQTT keepalive must be 10..3600 s";
  return checkAtString(settings.host, "server host") ?? checkAtString(settings.clientId, "MQTT client id") ??
    checkAtString(settings.username, "MQTT user name") ?? checkAtString(settings.password, "MQTT password");
}

export function checkTopic(topic: string, forPublish: boolean): string | undefined {
  if (!topic || topic.length > 256) return "topic must be 1..256 characters";
  if (forPublish && /[+#]/.test(topic)) return "a publish topic cannot hold wildcards";
  return checkAtString(topic, "topic");
}

interface Pending {
  wait: UrcWait;
  fail: (error: ModemError) => void;
}

export class Bg9xMqtt {
  readonly #modem: Bg9xModem;
  #pending: Pending | undefined;
  #nextMessageId = 1;

  constructor(modem: Bg9xModem) {
    this.#modem = modem;
  }

  /** The link is gone (`+QMTSTAT`): whatever waits for a broker answer fails now. */
  linkLost(error: ModemError): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    pending.wait.cancel();
    pending.fail(error);
  }

  /**
   * Leaves the client connected: nothing to do when it still is, otherwise close what is
   * half-open, configure, open, connect and subscribe.
   */
  ensureConnected(settings: MqttSettings, subscriptions: readonly string[], done: Done): void {
    this.#modem.transcript.addSecret(settings.password);
    this.#modem.query("AT+QMTCONN?", "+QMTCONN:", TIMEOUTS.basic, (error, lines) => {
      if (error) return done(error);
      const state = lines.map((l) => numericFields(l, "+QMTCONN:")).find((f) => f && f[0] === MQTT_CLIENT);
      if (state && state[1] === 3) return done();
      this.#closeIfOpen(() => this.#connectFresh(settings, subscriptions, done));
    }, (line) => /^\+QMTCONN: \d+,\d+$/.test(line));
  }

  publish(topic: string, payload: Uint8Array, done: Done): void {
    const msgId = this.#messageId();
    this.#async({
      text: `AT+QMTPUB=${MQTT_CLIENT},${msgId},1,0,"${topic}",${payload.length}`,
      timeoutMs: TIMEOUTS.basic + 2 * transferTimeMs(payload.length),
      send: { after: "prompt", data: payload },
    }, "+QMTPUB:", TIMEOUTS.mqttAckUrc, (line) => {
      const ack = parseMqttAck(line, "+QMTPUB:");
      return !!ack && ack.client === MQTT_CLIENT && ack.msgId === msgId && ack.result !== MqttSendResult.Retransmitting;
    }, (line) => {
      if (line === undefined) return done(modemError("delivery-unknown", `no +QMTPUB for message ${msgId}`));
      const ack = parseMqttAck(line, "+QMTPUB:")!;
      done(ack.result === MqttSendResult.Acknowledged ? undefined : modemError("publish-failed", `message ${msgId} not acknowledged`, ack.result));
    }, (error) => done(error.kind === "link-dropped" ? modemError("delivery-unknown", `link dropped before PUBACK of ${msgId}`) : error));
  }

  disconnect(done: () => void): void {
    this.#async({ text: `AT+QMTDISC=${MQTT_CLIENT}`, timeoutMs: TIMEOUTS.basic }, "+QMTDISC:", TIMEOUTS.mqttCloseUrc,
      (line) => parseMqttOutcome(line, "+QMTDISC:")?.client === MQTT_CLIENT, () => done(), () => done());
  }

  #closeIfOpen(done: () => void): void {
    this.#modem.query("AT+QMTOPEN?", "+QMTOPEN:", TIMEOUTS.basic, (error, lines) => {
      if (error || !lines.some((l) => l.startsWith(`+QMTOPEN: ${MQTT_CLIENT},`))) return done();
      this.#async({ text: `AT+QMTCLOSE=${MQTT_CLIENT}`, timeoutMs: TIMEOUTS.basic }, "+QMTCLOSE:", TIMEOUTS.mqttCloseUrc,
        (line) => parseMqttOutcome(line, "+QMTCLOSE:")?.client === MQTT_CLIENT, () => done(), () => done());
    }, (line) => line.indexOf("\"") > 0);
  }

  #connectFresh(settings: MqttSettings, subscriptions: readonly string[], done: Done): void {
    const c = MQTT_CLIENT;
    sendAll(this.#modem, [
      `AT+QMTCFG="version",${c},4`,
      `AT+QMTCFG="pdpcid",${c},${settings.pdpContext}`,
      `AT+QMTCFG="ssl",${c},1,${settings.sslContext}`,
      `AT+QMTCFG="keepalive",${c},${settings.keepaliveS}`,
      `AT+QMTCFG="session",${c},${settings.cleanSession ? 1 : 0}`,
      `AT+QMTCFG="timeout",${c},5,3,0`,
      `AT+QMTCFG="recv/mode",${c},0,1`,
    ], TIMEOUTS.basic, (error) => {
      if (error) return done(error);
      this.#open(settings, (openError) => {
        if (openError) return done(openError);
        this.#connect(settings, (connectError) => {
          if (connectError) return done(connectError);
          this.#subscribeAll(subscriptions, 0, done);
        });
      });
    });
  }

  #open(settings: MqttSettings, done: Done): void {
    this.#async({ text: `AT+QMTOPEN=${MQTT_CLIENT},"${settings.host}",${settings.port}`, timeoutMs: TIMEOUTS.basic },
      "+QMTOPEN:", TIMEOUTS.mqttOpenUrc, (line) => parseMqttOutcome(line, "+QMTOPEN:")?.client === MQTT_CLIENT, (line) => {
        if (line === undefined) return done(modemError("mqtt-open-failed", "no +QMTOPEN"));
        const result = parseMqttOutcome(line, "+QMTOPEN:")!.result;
        if (result === 0) return done();
        const detail = `QMTOPEN: ${MQTT_OPEN_RESULTS[result] ?? "unknown result"}`;
        done(modemError(result === 3 ? "pdp-failed" : "mqtt-open-failed", detail, result));
      }, done);
  }

  #connect(settings: MqttSettings, done: Done): void {
    const text = `AT+QMTCONN=${MQTT_CLIENT},"${settings.clientId}","${settings.username}","${settings.password}"`;
    this.#async({ text, timeoutMs: TIMEOUTS.basic }, "+QMTCONN:", TIMEOUTS.mqttAckUrc, (line) => {
      const outcome = parseMqttConnect(line);
      return !!outcome && outcome.client === MQTT_CLIENT && outcome.result !== MqttSendResult.Retransmitting;
    }, (line) => {
      if (line === undefined) return done(modemError("mqtt-failed", "no +QMTCONN"));
      const { result, returnCode } = parseMqttConnect(line)!;
      if (result === MqttSendResult.Acknowledged && returnCode === 0) return done();
      if (result === MqttSendResult.Acknowledged) {
        return done(modemError("connack-refused", `broker refused: ${CONNACK_CODES[returnCode ?? -1] ?? "no return code"}`, returnCode));
      }
      done(modemError("mqtt-failed", "CONNECT not sent or not acknowledged", result));
    }, (error) => done(error.kind === "link-dropped" ? modemError("mqtt-failed", `link closed during CONNECT: ${error.detail}`) : error));
  }

  #subscribeAll(topics: readonly string[], index: number, done: Done): void {
    if (index === topics.length) return done();
    const msgId = this.#messageId();
    this.#async({ text: `AT+QMTSUB=${MQTT_CLIENT},${msgId},"${topics[index]}",1`, timeoutMs: TIMEOUTS.basic }, "+QMTSUB:", TIMEOUTS.mqttAckUrc, (line) => {
      const ack = parseMqttAck(line, "+QMTSUB:");
      return !!ack && ack.client === MQTT_CLIENT && ack.msgId === msgId && ack.result !== MqttSendResult.Retransmitting;
    }, (line) => {
      const ack = line === undefined ? undefined : parseMqttAck(line, "+QMTSUB:");
      // value = granted QoS; 128 = the broker refused the subscription.
      if (!ack || ack.result !== MqttSendResult.Acknowledged || ack.value === 128) {
        return done(modemError("mqtt-failed", `subscription to ${topics[index]} not granted`, ack?.value ?? ack?.result));
      }
      this.#subscribeAll(topics, index + 1, done);
    }, done);
  }

  #messageId(): number {
    const msgId = this.#nextMessageId;
    this.#nextMessageId = msgId === 65535 ? 1 : msgId + 1;
    return msgId;
  }

  /**
   * An asynchronous command: `done` gets its completion URC (undefined when none came in time),
   * `fail` a rejected command or, through linkLost, the end of the connection.
   */
  #async(
    command: AtCommand,
    prefix: string,
    timeoutMs: number,
    accept: (line: string) => boolean,
    done: (line: string | undefined) => void,
    fail: (error: ModemError) => void,
  ): void {
    const pending: Pending = {
      fail,
      wait: this.#modem.commandThenUrc(command, { prefix, timeoutMs, accept }, (error, line) => {
        if (this.#pending === pending) this.#pending = undefined;
        if (error) fail(error);
        else done(line);
      }),
    };
    this.#pending = pending;
  }
}
