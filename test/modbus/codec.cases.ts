/** Modbus RTU frames, CRC, data types and silent intervals against the reference examples. */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { crc16Modbus, hasValidCrc } from "../../drivers/modbus/crc16.js";
import { type ModbusRequest, checkRequest, decodeRequest, decodeResponse, encodeRequest, encodeResponse } from "../../drivers/modbus/frames.js";
import { modbusSilence } from "../../drivers/modbus/timing.js";
import { type ModbusDataType, WORD_ORDERS, decodeRegisters, encodeRegisters, pointValue } from "../../drivers/modbus/values.js";

const hex = (text: string) => Uint8Array.from(text.split(" ").map((b) => parseInt(b, 16)));
const show = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(" ");

export const cases: TestCase[] = [
  {
    name: "CRC-16/MODBUS: check value 0x4B37 and the worked request 01 03 00 00 00 0A → C5 CD",
    run() {
      equal(crc16Modbus(Uint8Array.from("123456789", (c) => c.charCodeAt(0))), 0x4b37);
      equal(crc16Modbus(hex("01 03 00 00 00 0A")), 0xcdc5);
      ok(hasValidCrc(hex("01 03 00 00 00 0A C5 CD")));
      ok(!hasValidCrc(hex("01 03 00 00 00 0A CD C5")), "low byte first");
    },
  },
  {
    name: "requests: functions 03, 04, 06 and 16 encode to the reference frames and decode back",
    run() {
      const examples: Array<[ModbusRequest, string]> = [
        [{ unit: 1, function: 3, address: 0, count: 10 }, "01 03 00 00 00 0A C5 CD"],
        [{ unit: 1, function: 3, address: 0, count: 2 }, "01 03 00 00 00 02 C4 0B"],
        [{ unit: 17, function: 3, address: 0x6b, count: 3 }, "11 03 00 6B 00 03 76 87"],
        [{ unit: 1, function: 4, address: 0, count: 2 }, "01 04 00 00 00 02 71 CB"],
        [{ unit: 1, function: 6, address: 1, value: 3 }, "01 06 00 01 00 03 98 0B"],
        [{ unit: 1, function: 16, address: 1, values: [0x000a, 0x0102] }, "01 10 00 01 00 02 04 00 0A 01 02 92 30"],
      ];
      for (const [request, frame] of examples) {
        equal(show(encodeRequest(request)), frame);
        deepEqual(decodeRequest(hex(frame)), { ok: true, value: request });
      }
    },
  },
  {
    name: "responses: registers, write echoes and exceptions decode against their request",
    run() {
      const read: ModbusRequest = { unit: 1, function: 3, address: 0, count: 2 };
      deepEqual(decodeResponse(hex("01 03 04 42 F6 E9 79 80 0B"), read), { ok: true, value: { kind: "registers", registers: [0x42f6, 0xe979] } });
      deepEqual(decodeResponse(hex("01 04 04 42 F6 E9 79 81 BC"), { ...read, function: 4 }), { ok: true, value: { kind: "registers", registers: [0x42f6, 0xe979] } });
      const write: ModbusRequest = { unit: 1, function: 6, address: 1, value: 3 };
      deepEqual(decodeResponse(hex("01 06 00 01 00 03 98 0B"), write), { ok: true, value: { kind: "written", address: 1, count: 1 } });
      const multiple: ModbusRequest = { unit: 1, function: 16, address: 1, values: [10, 258] };
      deepEqual(decodeResponse(hex("01 10 00 01 00 02 10 08"), multiple), { ok: true, value: { kind: "written", address: 1, count: 2 } });
      deepEqual(decodeResponse(hex("01 83 02 C0 F1"), read), { ok: true, value: { kind: "exception", code: 2 } });
      deepEqual(decodeResponse(hex("01 84 02 C2 C1"), { ...read, function: 4 }), { ok: true, value: { kind: "exception", code: 2 } });
      deepEqual(decodeResponse(hex("01 90 02 CD C1"), multiple), { ok: true, value: { kind: "exception", code: 2 } });
      equal(show(encodeResponse(read, { kind: "exception", code: 2 })), "01 83 02 C0 F1");
      equal(show(encodeResponse(multiple, { kind: "written", address: 1, count: 2 })), "01 10 00 01 00 02 10 08");
    },
  },
  {
    name: "responses that do not answer the request are refused with the reason",
    run() {
      const read: ModbusRequest = { unit: 1, function: 3, address: 0, count: 2 };
      const cases: Array<[string, RegExp]> = [
        ["01 03 04 42 F6 E9 79 80 0C", /CRC/],
        ["02 03 04 42 F6 E9 79 80 0B", /CRC|unit/],
        ["01 04 04 42 F6 E9 79 81 BC", /function/],
        ["01 03 02 42 F6", /short|CRC/],
        ["01 06 00 01 00 03 98 0B", /function/],
      ];
      for (const [frame, reason] of cases) {
        const decoded = decodeResponse(hex(frame), read);
        ok(!decoded.ok && reason.test(decoded.error), `${frame}: ${JSON.stringify(decoded)}`);
      }
      const otherUnit = encodeResponse({ ...read, unit: 2 }, { kind: "registers", registers: [1, 2] });
      const decoded = decodeResponse(otherUnit, read);
      ok(!decoded.ok && /unit 2/.test(decoded.error));
      const short = encodeResponse({ ...read, count: 1 }, { kind: "registers", registers: [1] });
      ok(!decodeResponse(short, read).ok, "one register where two were asked");
      const echo = encodeResponse({ unit: 1, function: 6, address: 1, value: 4 }, { kind: "written", address: 1, count: 1 });
      ok(!decodeResponse(echo, { unit: 1, function: 6, address: 1, value: 3 }).ok, "the echo must match");
    },
  },
  {
    name: "requests outside the protocol's limits are refused before sending",
    run() {
      ok(checkRequest({ unit: 0, function: 3, address: 0, count: 1 }));
      ok(checkRequest({ unit: 248, function: 3, address: 0, count: 1 }));
      ok(checkRequest({ unit: 1, function: 3, address: 0, count: 126 }));
      ok(checkRequest({ unit: 1, function: 4, address: 65535, count: 2 }));
      ok(checkRequest({ unit: 1, function: 6, address: 0, value: 65536 }));
      ok(checkRequest({ unit: 1, function: 16, address: 0, values: new Array<number>(124).fill(0) }));
      equal(checkRequest({ unit: 247, function: 3, address: 65534, count: 2 }), undefined);
    },
  },
  {
    name: "float32 123.456 in the four word orders, and every type round-trips in every order",
    run() {
      const registers = { ABCD: [0x42f6, 0xe979], CDAB: [0xe979, 0x42f6], BADC: [0xf642, 0x79e9], DCBA: [0x79e9, 0xf642] } as const;
      for (const order of WORD_ORDERS) {
        ok(Math.abs(decodeRegisters(registers[order], "float32", order) - 123.456) < 1e-4, order);
        deepEqual(encodeRegisters(123.456, "float32", order), [...registers[order]], order);
      }
      const samples: Array<[ModbusDataType, number]> = [["int16", -1234], ["uint16", 65000], ["int32", -123456789], ["uint32", 4000000000], ["float32", -0.15625]];
      for (const [type, value] of samples) {
        for (const order of WORD_ORDERS) equal(decodeRegisters(encodeRegisters(value, type, order), type, order), value, `${type} ${order}`);
      }
      equal(decodeRegisters([0x1234, 0x5678], "uint32", "CDAB"), 0x56781234);
      equal(decodeRegisters([0x3412], "uint16", "BADC"), 0x1234);
      equal(decodeRegisters([0xfffe], "int16", "ABCD"), -2);
    },
  },
  {
    name: "scale and offset: value = raw × scale + offset",
    run() {
      const celsius = pointValue({ unit: 1, function: 3, address: 0, type: "int16", order: "ABCD", scale: 0.1, offset: -40 }, [0x02ee]);
      ok(Math.abs(celsius - 35) < 1e-9, `750 × 0.1 − 40 = ${celsius}`);
      equal(pointValue({ unit: 1, function: 3, address: 0, type: "uint16", order: "ABCD" }, [7]), 7);
    },
  },
  {
    name: "silent intervals: 3.5 and 1.5 characters of the configured framing, fixed above 19200 baud",
    run() {
      const at9600 = modbusSilence({ baud: 9600, dataBits: 8, parity: "even", stopBits: 1 });
      ok(Math.abs(at9600.t35Ms - (3.5 * 11 * 1000) / 9600) < 1e-9);
      ok(Math.abs(at9600.t15Ms - (1.5 * 11 * 1000) / 9600) < 1e-9);
      ok(Math.abs(modbusSilence({ baud: 19200, dataBits: 8, parity: "none", stopBits: 1 }).t35Ms - (3.5 * 10 * 1000) / 19200) < 1e-9);
      deepEqual(modbusSilence({ baud: 38400, dataBits: 8, parity: "none", stopBits: 1 }), { t15Ms: 0.75, t35Ms: 1.75 });
    },
  },
];
