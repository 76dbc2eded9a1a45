/**
 * HTTPS GET through the modem session against the simulated BG95 and the in-memory network: the
 * custom request head with a Range field, the response head read before the counted body, range
 * answers (206, 416, 200, 404), GET beside MQTT, the switch back to POST, refusals before any AT
 * command, a link lost mid-request, and the updater's ImageSource over it.
 */
import type { ModemError } from "../../drivers/modem/bg9x/modem-error.js";
import type { HttpGetResponse } from "../../drivers/modem/bg9x/https-client.js";
import type { ModemSessionConfig } from "../../drivers/modem/session/session-config.js";
import type { RangeResult } from "../../modules/ota/image-source.js";
import { ModemImageSource, parseContentRange } from "../../modules/ota/modem-image-source.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import { ModemWorld, httpsConfig, mqttConfig, text } from "./support/modem-world.js";
import { SAMPLE_TOPIC } from "./support/record-uplink.js";

interface Answer {
  error: ModemError | undefined;
  response: HttpGetResponse | undefined;
  atMs: number;
}

function connected(config: ModemSessionConfig = httpsConfig()): ModemWorld {
  const world = new ModemWorld();
  let result: ModemError | "ok" | undefined;
  world.session.connect(config, (error) => { result = error ?? "ok"; });
  ok(world.runUntil(() => result !== undefined, 150_000), "connect finished");
  equal(result, "ok");
  return world;
}

function get(world: ModemWorld, url: string, fields: Record<string, string> = {}): Answer {
  let answer: Answer | undefined;
  world.session.get(url, fields, (error, response) => { answer = { error, response, atMs: world.now }; });
  ok(world.runUntil(() => answer !== undefined, 120_000), "GET finished");
  return answer!;
}

/** A file whose bytes say where they are, with `<CR><LF>OK<CR><LF>` planted inside. */
function image(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff;
  bytes.set(text("\r\nOK\r\n+QHTTPREAD: 0\r\n"), 100);
  return bytes;
}

function linesFrom(world: ModemWorld, start: string): string[] {
  const sent = world.modem.received;
  const at = sent.lastIndexOf(start);
  return at < 0 ? [] : sent.slice(at);
}

export const cases: TestCase[] = [
  {
    name: "a Range GET: custom header mode, the request head in QHTTPGET's data phase, 206 with Content-Range and the exact bytes",
    run() {
      const world = connected();
      const file = image(20_000);
      const url = world.https.publish("/images/1.2.0.bin", file);
      const answer = get(world, url, { Range: "bytes=8192-16383" });
      equal(answer.error, undefined, answer.error?.detail);
      equal(answer.response?.status, 206);
      equal(answer.response?.fields["content-range"], "bytes 8192-16383/20000");
      deepEqual(answer.response?.body, file.slice(8192, 16384));
      const call = world.https.requests[world.https.requests.length - 1];
      deepEqual([call.method, call.path, call.fields["range"], call.fields["host"]], ["GET", "/images/1.2.0.bin", "bytes=8192-16383", "ingest.example.net"]);
      const sent = linesFrom(world, 'AT+QHTTPCFG="requestheader",1');
      ok(sent.indexOf('AT+QHTTPCFG="responseheader",1') === 1, "response heads shown too");
      ok(sent.some((line) => /^AT\+QHTTPGET=60,\d+,30$/.test(line)), `QHTTPGET with the head's length: ${sent.join(" | ")}`);
      ok(sent[sent.length - 1] === "AT+QHTTPREAD=60", "then the read");
      const head = "GET /images/1.2.0.bin HTTP/1.1\r\nHost: ingest.example.net\r\nRange: bytes=8192-16383\r\n\r\n";
      ok(sent.indexOf(`AT+QHTTPGET=60,${head.length},30`) >= 0, "the head is exactly the request line, Host and Range");
      equal(world.counters.get("modem.gets"), 1);

      const again = get(world, url, { Range: "bytes=0-8191" });
      deepEqual(again.response?.body, file.slice(0, 8192), "the planted OK line inside the body did not end the read");
      equal(world.modem.received.filter((line) => line === 'AT+QHTTPCFG="requestheader",1').length, 1, "header mode set up once");

      let status = 0;
      world.session.post("/v1/ingest", text("{}"), (error, response) => { status = error ? -1 : response!.status; });
      ok(world.runUntil(() => status !== 0, 60_000));
      equal(status, 201);
      ok(linesFrom(world, 'AT+QHTTPCFG="requestheader",0').some((line) => line.startsWith("AT+QHTTPPOST=")), "POST after the module writes its own heads again");
    },
  },
  {
    name: "GET beside MQTT: range requests run in an MQTT session and publishes are still acknowledged",
    run() {
      const world = connected(mqttConfig());
      const file = image(9000);
      const url = world.https.publish("/images/m.bin", file);
      const first = get(world, url, { Range: "bytes=0-4095" });
      const last = get(world, url, { Range: "bytes=8192-12287" });
      deepEqual(first.response?.body, file.slice(0, 4096));
      equal(last.response?.status, 206);
      deepEqual(last.response?.body, file.slice(8192), "the short last range");
      equal(last.response?.fields["content-range"], "bytes 8192-8999/9000");
      let published: string | undefined;
      world.session.publish(SAMPLE_TOPIC, text("t=1"), (error) => { published = error ? error.kind : "ok"; });
      ok(world.runUntil(() => published !== undefined, 30_000));
      equal(published, "ok");
      equal(world.broker.received.length, 1);
      ok(world.modem.received.indexOf('AT+QHTTPCFG="sslctxid",1') >= 0, "the HTTP stack uses the session's SSL context");
    },
  },
  {
    name: "past the end is 416, an unknown path 404, no Range the whole file with 200; each with its head fields",
    run() {
      const world = connected();
      const file = image(3000);
      const url = world.https.publish("/f.bin", file);
      const beyond = get(world, url, { Range: "bytes=3000-3999" });
      equal(beyond.response?.status, 416);
      equal(beyond.response?.fields["content-range"], "bytes */3000");
      equal(beyond.response?.body.length, 0);
      equal(get(world, url.replace("/f.bin", "/missing.bin"), { Range: "bytes=0-9" }).response?.status, 404);
      const whole = get(world, url);
      equal(whole.response?.status, 200);
      deepEqual(whole.response?.body, file);
      equal(whole.response?.fields["accept-ranges"], "bytes");
    },
  },
  {
    name: "bad URLs and header fields are refused before any AT command; a GET outside a session is refused",
    run() {
      const world = connected();
      const before = world.modem.received.length;
      const refused = (url: string, fields: Record<string, string> = {}) => {
        const answer = get(world, url, fields);
        equal(answer.error?.kind, "invalid-argument", `${url} ${JSON.stringify(fields)}`);
      };
      refused("http://ingest.example.net/f.bin");
      refused("https://ingest.example.net/f\".bin");
      refused("https://ingest.example.net");
      refused(`https://ingest.example.net/${"a".repeat(700)}`);
      refused("https://ingest.example.net/f.bin", { Range: "bytes=0-1\r\nX-Evil: 1" });
      refused("https://ingest.example.net/f.bin", { "Bad Name": "x" });
      refused("https://ingest.example.net/f.bin", { Host: "elsewhere.example" });
      equal(world.modem.received.length, before, "nothing reached the modem");
      const idle = new ModemWorld();
      equal(get(idle, "https://ingest.example.net/f.bin").error?.kind, "closed");
    },
  },
  {
    name: "coverage lost mid-GET: the PDP context drops and the request fails with a socket error at once",
    run() {
      const world = connected();
      const url = world.https.publish("/f.bin", image(8192));
      // The request is out 0.1 s after it starts; the answer would take 2.15 s; the PDP context drops 1.5 s after coverage.
      world.board.scheduler.after(200, () => world.modem.radio.loseCoverageFor(60_000));
      const started = world.now;
      const answer = get(world, url, { Range: "bytes=0-8191" });
      equal(answer.error?.kind, "http-failed");
      equal(answer.error?.code, 719);
      ok(answer.atMs - started < 5000, `failed after ${answer.atMs - started} ms, not at the 60 s response time`);
      equal(world.counters.get("modem.getFailures"), 1);
    },
  },
  {
    name: "ModemImageSource turns range answers into RangeResults: chunks, the short last one with the total, past the end, failures",
    run() {
      const world = connected(mqttConfig());
      const file = image(10_000);
      const url = world.https.publish("/images/2.0.0.bin", file);
      const source = new ModemImageSource(world.session);
      const fetch = (offset: number, length: number, target = url): RangeResult => {
        let result: RangeResult | undefined;
        source.fetchRange(target, offset, length, (r) => { result = r; });
        ok(world.runUntil(() => result !== undefined, 120_000), "fetch finished");
        return result!;
      };
      deepEqual(fetch(0, 4096), { ok: true, bytes: file.slice(0, 4096), totalLength: 10_000 });
      deepEqual(fetch(8192, 4096), { ok: true, bytes: file.slice(8192), totalLength: 10_000 });
      const beyond = fetch(12_288, 4096);
      ok(!beyond.ok && beyond.beyondEnd === true, "416 is beyond the end");
      const missing = fetch(0, 4096, url.replace("2.0.0", "9.9.9"));
      ok(!missing.ok && missing.error === "HTTP 404" && !missing.beyondEnd, "404 is a failure");
      const refused = fetch(0, 4096, "https://nowhere.example.net/x.bin");
      ok(!refused.ok && /^http-failed/.test(refused.error), `DNS failure: ${refused.ok ? "" : refused.error}`);
      deepEqual(parseContentRange("bytes 0-9/*"), { first: 0, last: 9, total: undefined });
      equal(parseContentRange("bytes 9-0/10"), undefined);
      equal(parseContentRange("bytes 0-10/10"), undefined);
      equal(parseContentRange("items 0-9/10"), undefined);
    },
  },
];
