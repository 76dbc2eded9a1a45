/** SDI-12 encoders and decoders against the specification's own examples (v1.3 §4.4). */
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import {
  acknowledgeCommand, changeAddressCommand, checkMeasurementRequest, dataCommand, identifyMeasurementCommand, measurementCommand,
  metadataCommand,
} from "../../drivers/sdi12/commands.js";
import { appendSdi12Crc, encodeSdi12Crc, sdi12Crc16, stripSdi12Crc } from "../../drivers/sdi12/crc.js";
import {
  parseAddressReply, parseDataResponse, parseIdentification, parseMeasurementHeader, parseMetadata, responseText,
} from "../../drivers/sdi12/responses.js";
import { formatValue, parseValues } from "../../drivers/sdi12/values.js";
import { addParity, checkParity } from "../../drivers/serial-port/software-parity.js";

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

export const cases: TestCase[] = [
  {
    name: "CRC: the specification's aMC!/aD0! examples give OqZ, Ipz, I]q, IvW, and 0AP@ for an empty aRC",
    run() {
      equal(appendSdi12Crc("0+3.14"), "0+3.14OqZ");
      equal(appendSdi12Crc("0+3.14+2.718+1.414"), "0+3.14+2.718+1.414Ipz");
      equal(appendSdi12Crc("0+1.11+2.22+3.33+4.44+5.55+6.66"), "0+1.11+2.22+3.33+4.44+5.55+6.66I]q");
      equal(appendSdi12Crc("0+7.77+8.88+9.99"), "0+7.77+8.88+9.99IvW");
      equal(appendSdi12Crc("0"), "0AP@");
    },
  },
  {
    name: "CRC: three characters 0x40 | 6 bits, and a changed character or CRC is refused",
    run() {
      equal(encodeSdi12Crc(0xffff), "O\x7f\x7f");
      equal(encodeSdi12Crc(0), "@@@");
      equal(sdi12Crc16(""), 0);
      equal(stripSdi12Crc("0+3.14OqZ"), "0+3.14");
      equal(stripSdi12Crc("0+3.15OqZ"), undefined);
      equal(stripSdi12Crc("0+3.14OqY"), undefined);
      equal(stripSdi12Crc("OqZ"), undefined);
    },
  },
  {
    name: "commands: every family is spelled as Table 5 and v1.4 spell it",
    run() {
      equal(acknowledgeCommand("0"), "0!");
      equal(changeAddressCommand("0", "3"), "0A3!");
      equal(measurementCommand({ address: "0", kind: "M" }), "0M!");
      equal(measurementCommand({ address: "0", kind: "M", group: 7, crc: true }), "0MC7!");
      equal(measurementCommand({ address: "a", kind: "C", crc: true }), "aCC!");
      equal(measurementCommand({ address: "1", kind: "C", group: 2 }), "1C2!");
      equal(measurementCommand({ address: "1", kind: "R", group: 4, crc: true }), "1RC4!");
      equal(measurementCommand({ address: "1", kind: "R" }), "1R0!");
      equal(measurementCommand({ address: "1", kind: "V" }), "1V!");
      equal(measurementCommand({ address: "1", kind: "HA" }), "1HA!");
      equal(dataCommand("0", 0), "0D0!");
      equal(dataCommand("0", 123), "0D123!");
      equal(identifyMeasurementCommand({ address: "3", kind: "M", crc: true, group: 2 }), "3IMC2!");
      equal(metadataCommand({ address: "0", kind: "M" }, 1), "0IM_001!");
      equal(metadataCommand({ address: "0", kind: "C", crc: true, group: 1 }, 12), "0ICC1_012!");
      equal(metadataCommand({ address: "0", kind: "HA" }, 7), "0IHA_007!");
      ok(checkMeasurementRequest({ address: "!", kind: "M" }));
      ok(checkMeasurementRequest({ address: "0", kind: "M", group: 10 }));
      ok(checkMeasurementRequest({ address: "0", kind: "V", group: 1 }));
      equal(checkMeasurementRequest({ address: "z", kind: "C", group: 9, crc: true }), undefined);
    },
  },
  {
    name: "values: signs, decimals and back-to-back values, including the 12-value aC! example",
    run() {
      deepEqual(parseValues("+3.14+2.718+1.414"), { ok: true, value: [3.14, 2.718, 1.414] });
      deepEqual(parseValues("+1.234-4.56+12354-0.00045+2.223+145.5+7.7003+4328.8+9+10+11.433+12"),
        { ok: true, value: [1.234, -4.56, 12354, -0.00045, 2.223, 145.5, 7.7003, 4328.8, 9, 10, 11.433, 12] });
      deepEqual(parseValues(""), { ok: true, value: [] });
      deepEqual(parseValues("-0.5+1234567"), { ok: true, value: [-0.5, 1234567] });
      for (const bad of ["3.14", "+", "+1.2.3", "+12345678", "+1e5", "+1,5", "+ 1", "+.", "-1234.5678"]) {
        ok(!parseValues(bad).ok, `"${bad}" must not parse`);
      }
      equal(formatValue(-0.35, 4), "-0.3500");
      equal(formatValue(23.4, 1), "+23.4");
      equal(formatValue(123456.789, 3), "+123456.8");
    },
  },
  {
    name: "responses: lines end in <CR><LF> and hold printable characters (DEL allowed for CRC)",
    run() {
      deepEqual(responseText(bytes("0+3.14\r\n")), { ok: true, value: "0+3.14" });
      deepEqual(responseText(bytes("0A\x7f\x7f\r\n")), { ok: true, value: "0A\x7f\x7f" });
      ok(!responseText(bytes("0+3.14\n")).ok);
      ok(!responseText(bytes("0+3\x01.14\r\n")).ok);
      ok(!responseText(bytes("\r\n")).ok);
    },
  },
  {
    name: "responses: headers atttn / atttnn / atttnnn, identification, address replies, metadata",
    run() {
      deepEqual(parseMeasurementHeader("00053", "0", "M"), { ok: true, value: { seconds: 5, count: 3 } });
      deepEqual(parseMeasurementHeader("004512", "0", "C"), { ok: true, value: { seconds: 45, count: 12 } });
      deepEqual(parseMeasurementHeader("1001100", "1", "HA"), { ok: true, value: { seconds: 1, count: 100 } });
      ok(!parseMeasurementHeader("000512", "0", "M").ok, "an M header has one count digit");
      ok(!parseMeasurementHeader("10053", "0", "M").ok, "wrong address");
      ok(!parseMeasurementHeader("0005a", "0", "M").ok);
      const id = parseIdentification("513STS AG  4900001.51157252", "5");
      ok(id.ok);
      deepEqual(id.value, { address: "5", sdi12Version: "13", vendor: "STS AG", model: "490000", firmwareVersion: "1.5", extra: "1157252" });
      ok(!parseIdentification("513STS", "5").ok);
      deepEqual(parseAddressReply("3"), { ok: true, value: "3" });
      ok(!parseAddressReply("3", "4").ok);
      ok(!parseAddressReply("34").ok);
      deepEqual(parseMetadata("0,MW,%,volumetric water content;", "0", false), { ok: true, value: ["MW", "%", "volumetric water content"] });
      deepEqual(parseMetadata(appendSdi12Crc("0,TS,C;"), "0", true), { ok: true, value: ["TS", "C"] });
      ok(!parseMetadata("0,TS;", "0", false).ok);
      ok(!parseMetadata("0,TS,C", "0", false).ok);
    },
  },
  {
    name: "data responses: address, CRC and the 35/75-character <values> limits are enforced",
    run() {
      deepEqual(parseDataResponse("0+3.14OqZ", "0", true, 35), { ok: true, value: [3.14] });
      ok(!parseDataResponse("0+3.14OqZ", "1", true, 35).ok);
      ok(!parseDataResponse("0+3.14", "0", true, 35).ok, "a CRC was asked for");
      deepEqual(parseDataResponse("0", "0", false, 35), { ok: true, value: [] });
      const long = "0" + "+1.000000".repeat(4) + "+1.23";
      ok(!parseDataResponse(long, "0", false, 35).ok);
      deepEqual(parseDataResponse(long, "0", false, 75), { ok: true, value: [1, 1, 1, 1, 1.23] });
    },
  },
  {
    name: "software parity: 7E1 over 8N1 puts even parity in bit 7 and drops characters that fail it",
    run() {
      const encoded = addParity(bytes("1M!"), "even");
      deepEqual(Array.from(encoded), [0xb1, 0x4d, 0x21]);
      deepEqual(Array.from(addParity(bytes("0"), "odd")), [0xb0]);
      const checked = checkParity(Uint8Array.of(0x30, 0xcd, 0x21, 0x8d, 0x8a), "even");
      deepEqual(Array.from(checked.characters), [0x30, 0x21, 0x0d]);
      equal(checked.parityErrors, 2);
      for (let c = 0; c < 128; c++) {
        for (const parity of ["even", "odd"] as const) {
          const round = checkParity(addParity(Uint8Array.of(c), parity), parity);
          equal(round.characters[0], c);
          equal(checkParity(Uint8Array.of(addParity(Uint8Array.of(c), parity)[0] ^ 0x80), parity).parityErrors, 1);
        }
      }
    },
  },
];
