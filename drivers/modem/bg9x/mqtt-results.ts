/**
 * The URCs of Quectel's MQTT stack (BG95/BG77/BG600L MQTT Application Note). Each asynchronous
 * command answers `OK` at once and reports its outcome later in a URC; both the `<result>`
 * (was the packet sent and acknowledged) and, for CONNECT, the broker's `<ret_code>` must be 0.
 */
import { numericFields } from "./fields.js";

/** `+QMTOPEN: <idx>,<result>` */
export const MQTT_OPEN_RESULTS: Record<number, string> = {
  [-1]: "failed to open network",
  0: "opened",
  1: "wrong parameter",
  2: "MQTT identifier occupied",
  3: "failed to activate PDP",
  4: "failed to parse domain name",
  5: "network connection error",
};

/** `+QMTCONN: <idx>,<result>[,<ret_code>]`: the broker's CONNACK return codes (MQTT 3.1.1). */
export const CONNACK_CODES: Record<number, string> = {
  0: "accepted",
  1: "unacceptable protocol version",
  2: "identifier rejected",
  3: "server unavailable",
  4: "bad user name or password",
  5: "not authorized",
};

/** `+QMTSTAT: <idx>,<err>`: why the modem considers the connection gone. */
export const MQTT_STAT_ERRORS: Record<number, string> = {
  1: "connection closed or reset by peer",
  2: "PINGREQ timeout",
  3: "CONNECT timeout",
  4: "CONNACK timeout",
  5: "disconnected by client",
  6: "send failures, connection closed",
  7: "link not alive or server unavailable",
};

/** `<result>` of +QMTCONN, +QMTSUB, +QMTPUB. */
export const MqttSendResult = Object.freeze({ Acknowledged: 0, Retransmitting: 1, Failed: 2 });

export interface MqttOutcome {
  client: number;
  result: number;
}

export interface MqttConnectOutcome extends MqttOutcome {
  returnCode: number | undefined;
}

export interface MqttAckOutcome extends MqttOutcome {
  msgId: number;
  /** Retransmission count (result 1) or granted QoS (QMTSUB, result 0). */
  value: number | undefined;
}

/** +QMTOPEN, +QMTDISC, +QMTCLOSE and +QMTSTAT: `<idx>,<value>`. */
export function parseMqttOutcome(line: string, prefix: string): MqttOutcome | undefined {
  const fields = numericFields(line, prefix);
  return fields && fields.length === 2 ? { client: fields[0], result: fields[1] } : undefined;
}

export function parseMqttConnect(line: string): MqttConnectOutcome | undefined {
  const fields = numericFields(line, "+QMTCONN:");
  if (!fields || fields.length < 2 || fields.length > 3) return undefined;
  return { client: fields[0], result: fields[1], returnCode: fields[2] };
}

/** +QMTPUB and +QMTSUB: `<idx>,<msgid>,<result>[,<value>]`. */
export function parseMqttAck(line: string, prefix: "+QMTPUB:" | "+QMTSUB:"): MqttAckOutcome | undefined {
  const fields = numericFields(line, prefix);
  if (!fields || fields.length < 3 || fields.length > 4) return undefined;
  return { client: fields[0], msgId: fields[1], result: fields[2], value: fields[3] };
}

const RECV_HEADER = /^\+QMTRECV: (\d+),(\d+),"([^"]*)",(\d+),"$/;

/**
 * With `AT+QMTCFG="recv/mode",<idx>,0,1` a message arrives as
 * `+QMTRECV: <idx>,<msgid>,"<topic>",<length>,"<payload>"`: the length, read before the
 * payload, lets binary payloads through.
 */
export function mqttRecvPayloadLength(partialLine: string): number | undefined {
  const header = RECV_HEADER.exec(partialLine);
  return header ? Number(header[4]) : undefined;
}

export interface MqttMessageHeader {
  client: number;
  msgId: number;
  topic: string;
}

export function parseMqttRecv(line: string): MqttMessageHeader | undefined {
  const match = /^\+QMTRECV: (\d+),(\d+),"([^"]*)",(\d+),""$/.exec(line);
  return match ? { client: Number(match[1]), msgId: Number(match[2]), topic: match[3] } : undefined;
}
