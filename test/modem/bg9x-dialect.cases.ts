/** The BG95 dialect's parsers and encoders, on answers taken from module transcripts. */
import { checkAtString, numericFields } from "../../drivers/modem/bg9x/fields.js";
import { parseUploadReport, quectelChecksum } from "../../drivers/modem/bg9x/file-checksum.js";
import { checkHeaderFields, decodeResponseHead, encodeGetRequest, parseHttpsUrl } from "../../drivers/modem/bg9x/http-message.js";
import { parseHttpOutcome, parseHttpRead } from "../../drivers/modem/bg9x/http-results.js";
import { mqttRecvPayloadLength, parseMqttAck, parseMqttConnect, parseMqttOutcome, parseMqttRecv } from "../../drivers/modem/bg9x/mqtt-results.js";
import { parseCclk, parseQlts } from "../../drivers/modem/bg9x/network-time.js";
import { encodeActiveTime, encodePeriodicTau } from "../../drivers/modem/bg9x/psm-timers.js";
import { isRegistered, isRegistrationRead, parseRegistration, statName } from "../../drivers/modem/bg9x/registration.js";
import { parseCsq, parseQcsq } from "../../drivers/modem/bg9x/signal.js";
import { formatSuite, isAllowedSuite, tlsContextCommands } from "../../drivers/modem/bg9x/tls-config.js";
import { utf8Bytes } from "../../drivers/modem/at/text.js";
import { encodeResponseHead } from "../../hosts/sim/modem/http-wire.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok } from "../support/assert.js";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export const cases: TestCase[] = [
  {
    name: "registration: read answers carry the URC mode first, URCs start with the status",
    run() {
      deepEqual(parseRegistration("+CEREG: 2,1,\"1A2B\",\"01A2B3C4\",8"), { domain: "eps", stat: 1, area: "1A2B", cell: "01A2B3C4", act: 8 });
      deepEqual(parseRegistration("+CEREG: 5,\"1A2B\",\"01A2B3C4\",9"), { domain: "eps", stat: 5, area: "1A2B", cell: "01A2B3C4", act: 9 });
      deepEqual(parseRegistration("+CEREG: 2"), { domain: "eps", stat: 2 });
      deepEqual(parseRegistration("+CGREG: 0,3"), { domain: "gprs", stat: 3 });
      deepEqual(parseRegistration("+CREG: 1"), { domain: "cs", stat: 1 });
      equal(isRegistrationRead("+CEREG: 0,1"), true);
      equal(isRegistrationRead("+CEREG: 1"), false);
      equal(isRegistrationRead("+CEREG: 1,\"1A2B\",\"01A2B3C4\",8"), false);
      equal(parseRegistration("+CEREG: x"), undefined);
      equal(isRegistered(5), true);
      equal(isRegistered(2), false);
      equal(statName(3), "denied");
    },
  },
  {
    name: "signal: CSQ in dBm (99 unknown), QCSQ with SINR reported as 5 x (dB + 20)",
    run() {
      deepEqual(parseCsq("+CSQ: 13,99"), { rssiDbm: -87 });
      deepEqual(parseCsq("+CSQ: 99,99"), {});
      deepEqual(parseQcsq("+QCSQ: \"eMTC\",-62,-87,111,-12"), { rat: "eMTC", rssiDbm: -62, rsrpDbm: -87, sinrDb: 2.2, rsrqDb: -12 });
      deepEqual(parseQcsq("+QCSQ: \"GSM\",-71"), { rat: "GSM", rssiDbm: -71 });
      deepEqual(parseQcsq("+QCSQ: \"NOSERVICE\""), { rat: "NOSERVICE" });
      equal(parseQcsq("+QCSQ: \"eMTC\",x"), undefined);
    },
  },
  {
    name: "network time: QLTS=1 and CCLK are UTC; an empty or reset-value time is no time",
    run() {
      equal(parseQlts("+QLTS: \"2026/09/11,14:22:25+32,0\""), Date.UTC(2026, 8, 11, 14, 22, 25));
      equal(parseQlts("+QLTS: \"\""), undefined);
      equal(parseQlts("+QLTS: \"1980/01/06,00:00:03+00,0\""), undefined);
      equal(parseQlts("+QLTS: \"2026/13/11,14:22:25+32,0\""), undefined);
      equal(parseCclk("+CCLK: \"26/09/11,14:22:23+32\""), Date.UTC(2026, 8, 11, 14, 22, 23));
      equal(parseCclk("+CCLK: \"80/01/06,00:00:09+00\""), undefined);
      equal(parseCclk("+CCLK: \"00/01/01,00:00:09+00\""), undefined);
    },
  },
  {
    name: "file checksum: XOR of big-endian words, an odd byte as high byte, lowercase hex",
    run() {
      equal(quectelChecksum(utf8Bytes("PEM!")), "1d64");
      equal(quectelChecksum(utf8Bytes("abc")), "262");
      equal(quectelChecksum(new Uint8Array(0)), "0");
      deepEqual(parseUploadReport("+QFUPL: 1758,384A"), { size: 1758, checksum: "384a" });
      deepEqual(parseUploadReport("+QFUPL: 4,0262"), { size: 4, checksum: "262" });
      equal(parseUploadReport("+QFUPL: x"), undefined);
    },
  },
  {
    name: "PSM timers: exact values where a unit fits, rounded up otherwise",
    run() {
      equal(encodePeriodicTau(60), "10100001");
      equal(encodePeriodicTau(3600), "00100001");
      equal(encodePeriodicTau(86_400), "00111000");
      equal(encodePeriodicTau(100), "10000100");
      equal(encodeActiveTime(16), "00001000");
      equal(encodeActiveTime(60), "00100001");
      let threw = false;
      try {
        encodeActiveTime(100_000);
      } catch {
        threw = true;
      }
      ok(threw, "an active time beyond 31 decihours is refused");
    },
  },
  {
    name: "TLS context: TLS 1.2 only, one of four suites written 0Xhhhh, seclevel 1, CA file, SNI",
    run() {
      equal(isAllowedSuite(0xc02b), true);
      equal(isAllowedSuite(0xffff), false);
      equal(isAllowedSuite(0x002f), false);
      equal(formatSuite(0xc023), "0XC023");
      deepEqual(tlsContextCommands({ context: 1, suite: 0xc02f, caFile: "ca.pem", sni: true, negotiateTimeS: 60 }), [
        "AT+QSSLCFG=\"sslversion\",1,3",
        "AT+QSSLCFG=\"ciphersuite\",1,0XC02F",
        "AT+QSSLCFG=\"seclevel\",1,1",
        "AT+QSSLCFG=\"cacert\",1,\"ca.pem\"",
        "AT+QSSLCFG=\"sni\",1,1",
        "AT+QSSLCFG=\"ignorelocaltime\",1,0",
        "AT+QSSLCFG=\"negotiatetime\",1,60",
      ]);
    },
  },
  {
    name: "MQTT and HTTP result URCs: both CONNECT fields, retransmission, counted payload header",
    run() {
      deepEqual(parseMqttConnect("+QMTCONN: 0,0,4"), { client: 0, result: 0, returnCode: 4 });
      deepEqual(parseMqttConnect("+QMTCONN: 0,2"), { client: 0, result: 2, returnCode: undefined });
      deepEqual(parseMqttAck("+QMTPUB: 0,5,1,2", "+QMTPUB:"), { client: 0, msgId: 5, result: 1, value: 2 });
      deepEqual(parseMqttAck("+QMTSUB: 0,1,0,1", "+QMTSUB:"), { client: 0, msgId: 1, result: 0, value: 1 });
      deepEqual(parseMqttOutcome("+QMTOPEN: 0,-1", "+QMTOPEN:"), { client: 0, result: -1 });
      deepEqual(parseMqttOutcome("+QMTSTAT: 0,1", "+QMTSTAT:"), { client: 0, result: 1 });
      equal(mqttRecvPayloadLength("+QMTRECV: 0,3,\"dl/x\",12,\""), 12);
      equal(mqttRecvPayloadLength("+QMTRECV: 0,3,\"dl/x\""), undefined);
      deepEqual(parseMqttRecv("+QMTRECV: 0,3,\"dl/x\",12,\"\""), { client: 0, msgId: 3, topic: "dl/x" });
      deepEqual(parseHttpOutcome("+QHTTPPOST: 0,200,12", "+QHTTPPOST:"), { error: 0, status: 200, contentLength: 12 });
      deepEqual(parseHttpOutcome("+QHTTPGET: 701", "+QHTTPGET:"), { error: 701, status: undefined, contentLength: undefined });
      equal(parseHttpRead("+QHTTPREAD: 0"), 0);
      deepEqual(numericFields("+QMTPUB: 0, 5 ,0", "+QMTPUB:"), [0, 5, 0]);
      equal(numericFields("+QMTPUB: 0,a", "+QMTPUB:"), undefined);
    },
  },
  {
    name: "HTTP heads: the GET request the firmware writes, the response head it reads, https URLs and request fields it takes",
    run() {
      deepEqual(parseHttpsUrl("https://updates.example:8443/i/1.bin?x=1"), { host: "updates.example", port: 8443, path: "/i/1.bin?x=1" });
      for (const bad of ["http://a.example/x", "https://a.example", "https://a.example/\"x", "https://a.example:0/x", "https://a b/x"]) {
        equal(typeof parseHttpsUrl(bad), "string", bad);
      }
      equal(encodeGetRequest({ host: "a.example", port: 443, path: "/x" }, { Range: "bytes=0-9" }), "GET /x HTTP/1.1\r\nHost: a.example\r\nRange: bytes=0-9\r\n\r\n");
      equal(encodeGetRequest({ host: "a.example", port: 8443, path: "/x" }, {}), "GET /x HTTP/1.1\r\nHost: a.example:8443\r\n\r\n");
      equal(checkHeaderFields({ Range: "bytes=0-9", "X-Id": "7" }), undefined);
      const refused: Array<Record<string, string>> = [{ Range: "a\r\nb" }, { "Bad Name": "x" }, { host: "h" }, { X: "\u00e9" }];
      for (const bad of refused) ok(checkHeaderFields(bad), JSON.stringify(bad));
      const answer = utf8Bytes("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/9\r\nVia: a\r\nvia: b\r\ntoString: x\r\n\r\nhi");
      const head = decodeResponseHead(answer);
      equal(head?.status, 206);
      deepEqual(head && { ...head.fields }, { "content-range": "bytes 0-1/9", via: "a, b", tostring: "x" });
      equal(head && String.fromCharCode(...answer.subarray(head.bodyOffset)), "hi");
      // docs/modem.md §4, "Range GET".
      const docHead = encodeGetRequest({ host: "u.example", port: 443, path: "/a.bin" }, { Range: "bytes=0-3" });
      equal(hex(utf8Bytes(docHead)), "474554202f612e62696e20485454502f312e310d0a486f73743a20752e6578616d706c650d0a52616e67653a2062797465733d302d330d0a0d0a");
      const docAnswer = utf8Bytes(`${encodeResponseHead(206, { "content-range": "bytes 0-3/10" }, 4)}DLFW`);
      equal(hex(docAnswer), "485454502f312e3120323036205061727469616c20436f6e74656e740d0a636f6e74656e742d72616e67653a2062797465732030" +
        "2d332f31300d0a636f6e74656e742d6c656e6774683a20340d0a0d0a444c4657");
      equal(decodeResponseHead(docAnswer)?.bodyOffset, 80);
      equal(decodeResponseHead(utf8Bytes("HTTP/1.1 200 OK\r\nno end")), undefined, "no empty line");
      equal(decodeResponseHead(utf8Bytes("ICY 200 OK\r\n\r\n")), undefined, "no HTTP status line");
      equal(decodeResponseHead(utf8Bytes("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")), undefined, "a line that is no field");
    },
  },
  {
    name: "AT string values: quotes, control characters and (strictly) commas are refused",
    run() {
      equal(checkAtString("iot.example", "APN"), undefined);
      ok(checkAtString("iot\"x", "APN")?.indexOf("quote") !== undefined);
      ok(checkAtString("a\rAT+QFDEL", "password") !== undefined);
      ok(checkAtString("a\u001a", "password") !== undefined);
      ok(checkAtString("a,b", "user") !== undefined);
      equal(checkAtString("a,b", "line", false), undefined);
    },
  },
];
