/**
 * The XS bridge's message format (docs/xs-host.md): the documented worked examples byte for byte,
 * round trips of every value kind, and clear errors for malformed input. The codec runs on both
 * sides of the bridge, so these cases run under mocha and inside XS.
 */
import { BridgeCodecError, BridgeReader, BridgeWriter, type BridgeValue } from "../../hosts/xs/bridge/codec.js";
import { rebuildError } from "../../hosts/xs/bridge/errors.js";
import {
  answerRequest, decodeCall, decodeReply, Delivery, encodeCall, encodeReply, Request, type Reply,
} from "../../hosts/xs/bridge/messages.js";
import { FlashError } from "../../modules/platform/flash.js";
import { PowerCut } from "../../hosts/sim/nor-flash.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
const fromHex = (text: string) => Uint8Array.from(text.split(" ").map((pair) => parseInt(pair, 16)));

const CALL_EXAMPLES: Array<[string, number, BridgeValue[], string]> = [
  ["trace", Request.Trace, ["hi"], "38 06 02 00 00 00 68 69"],
  ["flash write", Request.FlashWrite, [4096, Uint8Array.of(0xde, 0xad)], "21 04 00 10 00 00 07 02 00 00 00 de ad"],
  ["repeat timer", Request.TimerSet, [60000, 60000], "18 04 60 ea 00 00 04 60 ea 00 00"],
  ["one-shot timer", Request.TimerSet, [0, undefined], "18 04 00 00 00 00 00"],
  ["timer fire", Delivery.TimerFire, [1, 7], "81 04 01 00 00 00 04 07 00 00 00"],
  ["serial readable", Delivery.IoEvent, [1, 3, "onReadable", [5]],
    "82 04 01 00 00 00 04 03 00 00 00 06 0a 00 00 00 6f 6e 52 65 61 64 61 62 6c 65 08 01 00 00 00 04 05 00 00 00"],
  ["boot", Delivery.Boot, [1, "sim:a", "power-on", { byteLength: 8192, blockSize: 4096, writeGranularity: 1 }, { rails: [25] }],
    "80 04 01 00 00 00 06 05 00 00 00 73 69 6d 3a 61 06 08 00 00 00 70 6f 77 65 72 2d 6f 6e 09 03 00 00 00 0a 00 00 00 " +
    "62 79 74 65 4c 65 6e 67 74 68 04 00 20 00 00 09 00 00 00 62 6c 6f 63 6b 53 69 7a 65 04 00 10 00 00 10 00 00 00 " +
    "77 72 69 74 65 47 72 61 6e 75 6c 61 72 69 74 79 04 01 00 00 00 09 01 00 00 00 05 00 00 00 72 61 69 6c 73 08 01 00 00 00 04 19 00 00 00"],
];

const REPLY_EXAMPLES: Array<[string, Reply, string]> = [
  ["nothing", { ok: true, value: undefined }, "00 00"],
  ["flash error", { ok: false, name: "FlashError", message: "bad" },
    "01 06 0a 00 00 00 46 6c 61 73 68 45 72 72 6f 72 06 03 00 00 00 62 61 64"],
  ["timer id", { ok: true, value: 7 }, "00 04 07 00 00 00"],
  ["monotonic", { ok: true, value: 1234.5 }, "00 05 00 00 00 00 00 4a 93 40"],
  ["storage keys", { ok: true, value: ["a", "bc"] }, "00 08 02 00 00 00 06 01 00 00 00 61 06 02 00 00 00 62 63"],
];

export const cases: TestCase[] = [
  {
    name: "the documented call examples encode and decode byte for byte",
    run() {
      for (const [label, code, args, expected] of CALL_EXAMPLES) {
        equal(hex(encodeCall(code, args)), expected, label);
        deepEqual(decodeCall(fromHex(expected)), { code, args }, label);
      }
    },
  },
  {
    name: "the documented reply examples encode and decode byte for byte",
    run() {
      for (const [label, reply, expected] of REPLY_EXAMPLES) {
        equal(hex(encodeReply(reply)), expected, label);
        deepEqual(decodeReply(fromHex(expected)), reply, label);
      }
    },
  },
  {
    name: "every value kind round-trips, numbers keep -0, fractions, extremes and NaN",
    run() {
      const values: BridgeValue[] = [
        undefined, null, false, true, 0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 0.1, -1e300, Infinity, NaN,
        "", "ünïcødé ✓", new Uint8Array(0), Uint8Array.of(0, 255), [], [1, ["nested", [null]]],
        {}, { a: 1, "key with spaces": { deep: Uint8Array.of(7) }, u: undefined },
      ];
      for (const value of values) {
        const decoded = new BridgeReader(new BridgeWriter().value(value).finish()).value();
        deepEqual(decoded, value, `round trip of ${String(value)}`);
      }
      equal(new BridgeWriter().value(-0).finish()[0], 0x05, "-0 travels as float64");
      equal(new BridgeWriter().value(2 ** 31).finish()[0], 0x05, "beyond int32 travels as float64");
    },
  },
  {
    name: "a long value grows the writer's buffer without losing bytes",
    run() {
      const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
      deepEqual(new BridgeReader(new BridgeWriter().value(big).finish()).value(), big);
    },
  },
  {
    name: "malformed messages are codec errors that say what is wrong",
    run() {
      throws(() => decodeCall(fromHex("21 04 00 10")), /truncated/);
      throws(() => decodeCall(fromHex("21 0b")), /unknown value tag 0xb/);
      throws(() => decodeReply(fromHex("02 00")), /status 2/);
      throws(() => decodeReply(fromHex("01 04 01 00 00 00 00")), /without name and message/);
      throws(() => decodeReply(new Uint8Array(0)), BridgeCodecError);
      throws(() => new BridgeWriter().value(new Uint16Array(2) as unknown as BridgeValue), /Uint16Array/);
      throws(() => new BridgeWriter().value((() => 1) as unknown as BridgeValue), /function/);
    },
  },
  {
    name: "a request handler's exception and a malformed request both become error replies",
    run() {
      const failing = answerRequest(encodeCall(Request.FlashErase, [99]), () => { throw new FlashError("erase of block 99"); });
      deepEqual(decodeReply(failing), { ok: false, name: "FlashError", message: "erase of block 99" });
      const malformed = answerRequest(fromHex("20 06 ff ff"), () => ({ ok: true, value: 1 }));
      const reply = decodeReply(malformed);
      ok(!reply.ok && reply.name === "BridgeCodecError" && /truncated/.test(reply.message), JSON.stringify(reply));
    },
  },
  {
    name: "errors are rebuilt as the classes code tests for",
    run() {
      ok(rebuildError("PowerCut", "power cut") instanceof PowerCut);
      const flash = rebuildError("FlashError", "program at 3 would set bits");
      ok(flash instanceof FlashError);
      equal(flash.message, "program at 3 would set bits");
      ok(rebuildError("RangeError", "r") instanceof RangeError);
      ok(rebuildError("TypeError", "t") instanceof TypeError);
      const other = rebuildError("AssertionError", "expected 1");
      equal(`${other.name}: ${other.message}`, "AssertionError: expected 1");
    },
  },
];
