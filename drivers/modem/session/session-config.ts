/**
 * What the uplink tells the modem session: APN, server, TLS policy, transport and limits.
 * Everything is checked before the first AT command, so a bad value fails the connect with a
 * clear error instead of reaching the modem (AT strings have no escaping).
 */
import { checkMqttSettings } from "../bg9x/mqtt-client.js";
import type { HttpContentType } from "../bg9x/https-client.js";
import { checkAtString } from "../bg9x/fields.js";
import { checkNetworkSettings, type ApnSettings, type PsmSettings, type RadioSettings } from "../bg9x/network-setup.js";
import { isAllowedSuite, type CipherSuite } from "../bg9x/tls-config.js";
import { encodeActiveTime, encodePeriodicTau } from "../bg9x/psm-timers.js";

export interface MqttTransportConfig {
  clientId: string;
  username: string;
  password: string;
  keepaliveS?: number;
  /** Default false: the broker keeps the session, so QoS 1 downlink sent while offline waits. */
  cleanSession?: boolean;
  /** Topics subscribed (QoS 1) for downlink messages. */
  downlinkTopics?: readonly string[];
}

export interface HttpsTransportConfig {
  contentType?: HttpContentType;
}

export interface ModemSessionConfig {
  apn: ApnSettings;
  server: { host: string; port: number };
  tls: {
    cipherSuite: CipherSuite;
    /** PEM text of the CA that issued the server's certificate. */
    caCertificate: Uint8Array;
    /** Server Name Indication; default on. */
    sni?: boolean;
  };
  transport: "mqtt" | "https";
  mqtt?: MqttTransportConfig;
  https?: HttpsTransportConfig;
  radio?: RadioSettings;
  /** Power saving mode timers; without them PSM is switched off. */
  psm?: PsmSettings;
  /** How long to wait for registration (default 90 s). */
  registrationTimeoutMs?: number;
  /** The hard limit after which the modem is shut down whatever it is doing (default 2 min). */
  sessionLimitMs?: number;
  /** The limit that replaces it while the modem updates its own firmware (default 45 min). */
  modemUpdateLimitMs?: number;
}

export const DEFAULT_SESSION_LIMIT_MS = 120_000;
export const DEFAULT_MODEM_UPDATE_LIMIT_MS = 45 * 60_000;
export const DEFAULT_REGISTRATION_TIMEOUT_MS = 90_000;
export const DEFAULT_RADIO: RadioSettings = Object.freeze({ scanOrder: Object.freeze(["m1", "nb", "gsm"] as const) });
export const DEFAULT_KEEPALIVE_S = 120;
/** The SSL and PDP contexts the session uses. */
export const SSL_CONTEXT = 1;

/** What is wrong with the configuration, or undefined. */
export function checkSessionConfig(config: ModemSessionConfig): string | undefined {
  const { host, port } = config.server;
  if (!host) return "server host is empty";
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) return "server port must be 1..65535";
  const hostProblem = checkAtString(host, "server host");
  if (hostProblem) return hostProblem;
  if (!isAllowedSuite(config.tls.cipherSuite)) return "cipher suite must be one of 0xC02F, 0xC02B, 0xC027, 0xC023";
  const ca = config.tls.caCertificate;
  if (!ca.length || ca.length > 16 * 1024) return "CA certificate must be 1..16384 bytes of PEM";
  const network = checkNetworkSettings(config.radio ?? DEFAULT_RADIO, config.apn);
  if (network) return network;
  if (config.psm) {
    const { periodicTauS, activeTimeS } = config.psm;
    if (!(periodicTauS > 0 && activeTimeS >= 0)) return "PSM timers must be positive";
    try {
      encodePeriodicTau(periodicTauS);
      encodeActiveTime(activeTimeS);
    } catch (error) {
      return error instanceof Error ? error.message : "PSM timers out of range";
    }
  }
  if (config.sessionLimitMs !== undefined && !(config.sessionLimitMs > 0)) return "session limit must be positive";
  if (config.modemUpdateLimitMs !== undefined && !(config.modemUpdateLimitMs > 0)) return "modem update limit must be positive";
  if (config.transport === "mqtt") {
    const mqtt = config.mqtt;
    if (!mqtt) return "MQTT transport without MQTT settings";
    for (const topic of mqtt.downlinkTopics ?? []) {
      const problem = checkAtString(topic, "downlink topic");
      if (problem || !topic) return problem ?? "empty downlink topic";
    }
    return checkMqttSettings({
      host, port, sslContext: SSL_CONTEXT, pdpContext: 1, clientId: mqtt.clientId, username: mqtt.username,
      password: mqtt.password, keepaliveS: mqtt.keepaliveS ?? DEFAULT_KEEPALIVE_S, cleanSession: mqtt.cleanSession ?? false,
    });
  }
  if (config.transport !== "https") return `unknown transport "${String(config.transport)}"`;
  return undefined;
}
