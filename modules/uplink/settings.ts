/**
 * What the uplink needs to know, gathered from the configuration in force (how and how often to
 * transmit, the APN) and from the provisioning (identity, credentials, the CA), and the modem
 * session configuration made from it.
 */
import type { DeviceConfig, Transport } from "../config/device-config.js";
import type { Provisioning } from "../config/provisioning.js";
import type { CipherSuite } from "../../drivers/modem/bg9x/tls-config.js";
import type { ModemSessionConfig } from "../../drivers/modem/session/session-config.js";
import { deviceTopics } from "./endpoints.js";

export interface UplinkSettings {
  deviceId: number;
  username: string;
  password: string;
  caCertificate: Uint8Array;
  transport: Transport;
  host: string;
  port: number;
  cipherSuite: CipherSuite;
  /** Regular sessions every this many seconds (300 .. 86400), aligned to the wall clock. */
  intervalS: number;
  revertAfterFailedSessions: number;
  apn: string;
  /** Version of the configuration these settings come from. */
  configVersion: number;
}

export function uplinkSettings(config: DeviceConfig, provisioning: Provisioning): UplinkSettings {
  const { uplink } = config;
  return {
    deviceId: provisioning.deviceId,
    username: provisioning.username,
    password: provisioning.password,
    caCertificate: provisioning.caCertificate,
    transport: uplink.transport,
    host: uplink.host,
    port: uplink.port,
    cipherSuite: uplink.cipherSuite,
    intervalS: uplink.intervalS,
    revertAfterFailedSessions: uplink.revertAfterFailedSessions,
    apn: config.apn,
    configVersion: config.version,
  };
}

/** The modem session for these settings; `sessionLimitMs` is the hard limit of one session. */
export function modemSessionConfig(settings: UplinkSettings, sessionLimitMs: number): ModemSessionConfig {
  const config: ModemSessionConfig = {
    apn: { name: settings.apn },
    server: { host: settings.host, port: settings.port },
    tls: { cipherSuite: settings.cipherSuite, caCertificate: settings.caCertificate },
    transport: settings.transport,
    sessionLimitMs,
  };
  if (settings.transport === "mqtt") {
    config.mqtt = {
      // The client id is the user name: a broker that confines users to their topics then also
      // stops one device from taking over another's session.
      clientId: settings.username,
      username: settings.username,
      password: settings.password,
      // The broker keeps the session while the logger sleeps, so downlinks sent meanwhile wait for it.
      cleanSession: false,
      downlinkTopics: [deviceTopics(settings.username).downlinkFilter],
    };
  }
  return config;
}
