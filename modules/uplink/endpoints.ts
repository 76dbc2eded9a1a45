/**
 * Where uplink traffic goes (docs/downlink-format.md, "Transport"): the device's MQTT topics, and
 * the HTTPS paths with the body's HMAC that authenticates a POST (the modem's HTTP client sends
 * no credentials of its own). The logger and the server both use these, so they cannot disagree.
 */
import { concatBytes } from "../crypto/bytes.js";
import { hmacSha256, verifyHmacSha256 } from "../crypto/sha256.js";

export type UplinkChannel = "data" | "report";

/** Topics of one device: it publishes under up/<name>/, and hears only dl/<name>/. */
export function deviceTopics(username: string): { data: string; report: string; downlinkFilter: string; downlinkPrefix: string } {
  return {
    data: `up/${username}/data`,
    report: `up/${username}/report`,
    downlinkFilter: `dl/${username}/#`,
    downlinkPrefix: `dl/${username}/`,
  };
}

/** The device and channel an uplink topic names, or undefined for any other topic. */
export function parseUplinkTopic(topic: string): { username: string; channel: UplinkChannel } | undefined {
  const match = /^up\/([^/+#]+)\/(data|report)$/.exec(topic);
  return match ? { username: match[1], channel: match[2] as UplinkChannel } : undefined;
}

const utf8 = new TextEncoder();

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += (byte < 16 ? "0" : "") + byte.toString(16);
  return out;
}

function unhex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** What the HMAC covers: the path (so a body cannot be replayed to another channel), a zero byte, the body. */
function macInput(path: string, body: Uint8Array): Uint8Array {
  return concatBytes(utf8.encode(path), Uint8Array.of(0), body);
}

/** `/v1/<name>/<channel>?mac=<hex>`: what the logger POSTs `body` to. */
export function httpsPath(username: string, channel: UplinkChannel, password: string, body: Uint8Array): string {
  const path = `/v1/${username}/${channel}`;
  return `${path}?mac=${hex(hmacSha256(utf8.encode(password), macInput(path, body)))}`;
}

/** Splits a POST's path into device, channel and MAC; undefined when it is not one of ours. */
export function parseHttpsPath(url: string): { username: string; channel: UplinkChannel; path: string; mac: string } | undefined {
  const match = /^(\/v1\/([^/?#]+)\/(data|report))\?mac=([0-9a-f]*)$/.exec(url);
  return match ? { path: match[1], username: match[2], channel: match[3] as UplinkChannel, mac: match[4] } : undefined;
}

/** True when `mac` (hex) authenticates `body` sent to `path` by the holder of `password`. */
export function verifyHttpsMac(password: string, path: string, body: Uint8Array, mac: string): boolean {
  const given = unhex(mac);
  return given !== undefined && verifyHmacSha256(utf8.encode(password), macInput(path, body), given);
}
