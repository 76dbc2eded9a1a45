/**
 * The AT engine fed byte by byte as a modem would: echo, URCs in the middle of commands, the
 * prompt and CONNECT data phases, counted payloads in URCs, timeouts and redaction.
 */
import { AtEngine } from "../../drivers/modem/at/at-engine.js";
import type { AtCommand, AtResult } from "../../drivers/modem/at/at-command.js";
import { AtTranscript } from "../../drivers/modem/at/at-transcript.js";
import { utf8Bytes, utf8Text } from "../../drivers/modem/at/text.js";
import type { Platform } from "../../modules/platform/platform.js";
import { SimBoard } from "../../hosts/sim/board.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok } from "../support/assert.js";

function harness() {
  const board = new SimBoard({ seed: 7 });
  let platform: Platform | undefined;
  board.start((p) => { platform = p; });
  const written: Uint8Array[] = [];
  const transcript = new AtTranscript(() => board.scheduler.now);
  const engine = new AtEngine({ write: (bytes) => written.push(bytes.slice()) }, platform!.timers, transcript);
  const results: AtResult[] = [];
  return {
    engine,
    transcript,
    results,
    board,
    /** Everything the engine wrote, as text, then forgotten. */
    takeWritten(): string {
      const text = written.map((b) => utf8Text(b)).join("");
      written.length = 0;
      return text;
    },
    send(command: AtCommand) {
      engine.send(command, (result) => results.push(result));
    },
    /** Feeds bytes one at a time, the harshest split the UART can produce. */
    feed(text: string | Uint8Array) {
      const bytes = typeof text === "string" ? utf8Bytes(text) : text;
      for (const byte of bytes) engine.receive(Uint8Array.of(byte));
    },
    run(ms: number) {
      board.scheduler.runFor(ms);
    },
  };
}

const ceregRead: AtCommand = {
  text: "AT+CEREG?",
  timeoutMs: 1000,
  responsePrefixes: ["+CEREG:"],
  accept: (line) => /^\+CEREG: \d+,\d+/.test(line),
};

export const cases: TestCase[] = [
  {
    name: "a command with its echo completes on OK and the echo is not taken as an answer",
    run() {
      const h = harness();
      h.send({ text: "ATI", timeoutMs: 300 });
      equal(h.takeWritten(), "ATI\r");
      h.feed("ATI\r\r\nQuectel\r\nBG95-M3\r\nRevision: BG95M3LAR02A03\r\n\r\nOK\r\n");
      equal(h.results.length, 1);
      equal(h.results[0].final.kind, "ok");
      deepEqual(h.results[0].lines, ["Quectel", "BG95-M3", "Revision: BG95M3LAR02A03"]);
      equal(h.engine.stats.echoLines, 1);
    },
  },
  {
    name: "a URC with the same prefix as the answer goes to the URC table, the read form to the command",
    run() {
      const h = harness();
      const urcs: string[] = [];
      h.engine.urcs.add({ prefix: "+CEREG:", handle: (line) => urcs.push(line) });
      h.engine.urcs.add({ prefix: "+QIURC:", handle: (line) => urcs.push(line) });
      h.send(ceregRead);
      h.feed("\r\n+CEREG: 2\r\n\r\n+QIURC: \"pdpdeact\",1\r\n\r\n+CEREG: 0,5\r\n\r\nOK\r\n");
      deepEqual(h.results[0].lines, ["+CEREG: 0,5"]);
      deepEqual(urcs, ["+CEREG: 2", "+QIURC: \"pdpdeact\",1"]);
    },
  },
  {
    name: "CME errors carry their numeric code; commands run one at a time in order",
    run() {
      const h = harness();
      h.send({ text: "AT+CPIN?", timeoutMs: 5000, responsePrefixes: ["+CPIN:"] });
      h.send({ text: "AT+CSQ", timeoutMs: 300, responsePrefixes: ["+CSQ:"] });
      equal(h.takeWritten(), "AT+CPIN?\r", "the second command waits for the first");
      h.feed("\r\n+CME ERROR: 10\r\n");
      equal(h.results[0].final.kind, "cme-error");
      equal(h.results[0].final.code, 10);
      equal(h.takeWritten(), "AT+CSQ\r");
      h.feed("\r\n+CSQ: 17,99\r\n\r\nOK\r\n");
      deepEqual(h.results[1].lines, ["+CSQ: 17,99"]);
    },
  },
  {
    name: "the > prompt (no line end) releases the fixed-length payload, the space after it is skipped",
    run() {
      const h = harness();
      const payload = utf8Bytes("a\"b\r\nOK\r\n");
      h.send({ text: "AT+QMTPUB=0,1,1,0,\"t\",9", timeoutMs: 1000, send: { after: "prompt", data: payload } });
      h.takeWritten();
      h.feed("\r\n> ");
      equal(h.takeWritten(), "a\"b\r\nOK\r\n", "payload written once the prompt arrived");
      equal(h.results.length, 0);
      h.feed("\r\nOK\r\n");
      equal(h.results[0].final.kind, "ok");
    },
  },
  {
    name: "an ERROR instead of the prompt ends the command without sending the payload",
    run() {
      const h = harness();
      h.send({ text: "AT+QMTPUB=0,1,1,0,\"t\",3", timeoutMs: 1000, send: { after: "prompt", data: utf8Bytes("abc") } });
      h.takeWritten();
      h.feed("\r\nERROR\r\n");
      equal(h.results[0].final.kind, "error");
      equal(h.takeWritten(), "");
    },
  },
  {
    name: "CONNECT then data upload, with the command's answer line collected",
    run() {
      const h = harness();
      h.send({
        text: "AT+QFUPL=\"ca.pem\",4,100", timeoutMs: 5000, responsePrefixes: ["+QFUPL:"],
        send: { after: "connect", data: utf8Bytes("PEM!") },
      });
      h.takeWritten();
      h.feed("\r\nCONNECT\r\n");
      equal(h.takeWritten(), "PEM!");
      h.feed("\r\n+QFUPL: 4,1f0e\r\n\r\nOK\r\n");
      deepEqual(h.results[0].lines, ["+QFUPL: 4,1f0e"]);
    },
  },
  {
    name: "a counted CONNECT read keeps CR, LF and 'OK' inside the body",
    run() {
      const h = harness();
      h.send({ text: "AT+QHTTPREAD=80", timeoutMs: 5000, receive: { length: 10 } });
      h.feed("\r\nCONNECT\r\n\r\nOK\r\n\"x\"y\r\nOK\r\n");
      equal(h.results[0].final.kind, "ok");
      equal(utf8Text(h.results[0].data!), "\r\nOK\r\n\"x\"y");
    },
  },
  {
    name: "an uncounted CONNECT read ends at the OK trailer, an empty body included",
    run() {
      const h = harness();
      h.send({ text: "AT+QHTTPREAD=80", timeoutMs: 5000, receive: {} });
      h.feed("\r\nCONNECT\r\n{\"ok\":true}\r\nOK\r\n");
      equal(utf8Text(h.results[0].data!), "{\"ok\":true}");
      h.send({ text: "AT+QHTTPREAD=80", timeoutMs: 5000, receive: {} });
      h.feed("\r\nCONNECT\r\n\r\nOK\r\n");
      equal(h.results[1].final.kind, "ok");
      equal(h.results[1].data!.length, 0);
    },
  },
  {
    name: "a read with an HTTP head: the head ends at its empty line, then exactly the counted body; an endless head is dropped",
    run() {
      const h = harness();
      const head = "HTTP/1.1 206 Partial Content\r\ncontent-range: bytes 0-7/8\r\n\r\n";
      h.send({ text: "AT+QHTTPREAD=60", timeoutMs: 5000, receive: { length: 8, headFirst: true } });
      h.feed(`\r\nCONNECT\r\n${head}\r\n\r\nOK\r\n\r\nOK\r\n`);
      equal(h.results[0].final.kind, "ok");
      equal(utf8Text(h.results[0].data!), `${head}\r\n\r\nOK\r\n`, "the body's blank line and OK belong to it");
      h.send({ text: "AT+QHTTPREAD=60", timeoutMs: 5000, receive: { length: 0, headFirst: true } });
      h.feed(`\r\nCONNECT\r\n${head}\r\nOK\r\n`);
      equal(utf8Text(h.results[1].data!), head, "an empty body");
      h.send({ text: "AT+QHTTPREAD=60", timeoutMs: 5000, receive: { length: 4, headFirst: true } });
      h.feed(`\r\nCONNECT\r\nHTTP/1.1 200 OK\r\nx: ${"y".repeat(5000)}\r\n\r\nbody\r\nOK\r\n`);
      equal(h.engine.stats.overflows, 1, "a head past 4 KiB is dropped");
      equal(h.results[2].final.kind, "ok");
      equal(h.results[2].data, undefined, "no data from it");
    },
  },
  {
    name: "a URC with a counted payload survives quotes and line ends in the payload, mid-command",
    run() {
      const h = harness();
      const got: Array<[string, string]> = [];
      h.engine.urcs.add({
        prefix: "+QMTRECV:",
        handle: (line, payload) => got.push([line, utf8Text(payload!)]),
        payloadLength: (partial) => {
          const header = /^\+QMTRECV: \d+,\d+,"[^"]*",(\d+),"$/.exec(partial);
          return header ? Number(header[1]) : undefined;
        },
      });
      h.send({ text: "AT+CSQ", timeoutMs: 300, responsePrefixes: ["+CSQ:"] });
      h.feed("\r\n+QMTRECV: 0,3,\"dl/cfg\",6,\"a\"\r\nOK\"\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
      deepEqual(got, [["+QMTRECV: 0,3,\"dl/cfg\",6,\"\"", "a\"\r\nOK"]]);
      deepEqual(h.results[0].lines, ["+CSQ: 20,99"]);
    },
  },
  {
    name: "a command with no answer times out in virtual time and the queue moves on",
    run() {
      const h = harness();
      h.send({ text: "AT+QIACT=1", timeoutMs: 150_000 });
      h.send({ text: "AT", timeoutMs: 300 });
      h.run(149_999);
      equal(h.results.length, 0);
      h.run(1);
      equal(h.results[0].final.kind, "timeout");
      equal(h.engine.stats.consecutiveTimeouts, 1);
      equal(h.takeWritten(), "AT+QIACT=1\rAT\r");
      h.feed("\r\nOK\r\n");
      equal(h.results[1].final.kind, "ok");
      equal(h.engine.stats.consecutiveTimeouts, 0);
    },
  },
  {
    name: "garbage lines are counted as stray and do not disturb the answer",
    run() {
      const h = harness();
      h.send({ text: "AT+CSQ", timeoutMs: 300, responsePrefixes: ["+CSQ:"] });
      h.feed(Uint8Array.of(0xff, 0x00, 0x7e, 0x0d, 0x0a, 0x93, 0x0d));
      h.feed("\r\n+CSQ: 5,99\r\n\r\nOK\r\n");
      deepEqual(h.results[0].lines, ["+CSQ: 5,99"]);
      ok(h.engine.stats.strayLines >= 2, "both garbage lines counted");
    },
  },
  {
    name: "an overlong line is dropped without losing the next one",
    run() {
      const h = harness();
      h.send({ text: "AT", timeoutMs: 300 });
      h.feed("X".repeat(3000) + "\r\nOK\r\n");
      equal(h.results[0].final.kind, "ok");
      equal(h.engine.stats.overflows, 1);
    },
  },
  {
    name: "abortAll ends the current and queued commands once each",
    run() {
      const h = harness();
      h.send({ text: "AT+COPS?", timeoutMs: 180_000 });
      h.send({ text: "AT", timeoutMs: 300 });
      h.engine.abortAll("power down");
      deepEqual(h.results.map((r) => r.final.kind), ["aborted", "aborted"]);
      h.feed("\r\nOK\r\n");
      h.run(200_000);
      equal(h.results.length, 2);
    },
  },
  {
    name: "waitFor gets the URC that completes an asynchronous command, or a timeout",
    run() {
      const h = harness();
      const seen: Array<string | undefined> = [];
      h.engine.urcs.waitFor("+QMTOPEN:", 75_000, (line) => seen.push(line));
      h.engine.urcs.waitFor("+QMTCONN:", 5_000, (line) => seen.push(line));
      h.feed("\r\n+QMTOPEN: 0,0\r\n");
      h.run(5_000);
      deepEqual(seen, ["+QMTOPEN: 0,0", undefined]);
    },
  },
  {
    name: "registered secrets never reach the transcript in either direction",
    run() {
      const h = harness();
      const traced: string[] = [];
      const transcript = new AtTranscript(() => 0, { sink: (line) => traced.push(line) });
      transcript.addSecret("s3cr3t-pw");
      transcript.record("tx", "AT+QMTCONN=0,\"dev1\",\"dev1\",\"s3cr3t-pw\"");
      transcript.record("rx", "+QICSGP: 1,\"apn\",\"user\",\"s3cr3t-pw\",1");
      const all = transcript.entries().map((e) => e.text).join("\n") + traced.join("\n");
      ok(all.indexOf("s3cr3t-pw") < 0, all);
      ok(all.indexOf("\"***\"") >= 0);
      h.transcript.addSecret("pw");
      h.send({ text: "AT+QICSGP=1,1,\"apn\",\"u\",\"pw\",1", timeoutMs: 300 });
      ok(h.transcript.entries().every((e) => e.text.indexOf("\"pw\"") < 0));
    },
  },
];
