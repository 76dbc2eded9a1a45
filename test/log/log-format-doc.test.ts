/** The worked example of docs/log-format.md is what the encoders produce, and decodes back. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { encodeAckBody, encodeGapBody, encodeHeaderBody, decodeHeaderBody } from "../../modules/log/frame-bodies.js";
import { encodeFrame, FrameType, readFrame } from "../../modules/log/frames.js";
import { logGeometry } from "../../modules/log/log-geometry.js";
import { decodeSamples, encodeSample, storedSample } from "../../modules/log/sample-codec.js";
import { GapReason } from "../../modules/uplink/records.js";

const T = Date.UTC(2026, 2, 1, 12);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

function documentedBlocks(): string[] {
  const text = readFileSync(new URL("../../docs/log-format.md", import.meta.url), "utf8");
  return [...text.matchAll(/```hex\n([\s\S]*?)\n```/g)].map((match) => match[1].trim());
}

describe("docs/log-format.md worked example", () => {
  const geometry = logGeometry({ byteLength: 16 * 4096, blockSize: 4096, writeGranularity: 1 });
  const samples = [
    { channel: 1, time: T, value: 2.345, flags: 0x04 },
    { channel: 2, time: T, value: 21, flags: 0x04 },
    { channel: 1, time: T + 60_000, value: 2.347, flags: 0x04 },
    { channel: 2, time: T + 60_000, value: 4, flags: 0x05 },
  ];
  const parts = samples.map((sample, i) => encodeSample(sample, i ? samples[i - 1] : undefined));
  const body = Uint8Array.from(parts.flatMap((part) => Array.from(part)));
  const loss = { sectorSeq: 8, firstSeq: 1680, acked: 1001, lossEnd: 1049, lossReason: GapReason.Overwritten, lossTime: T + 3_600_000 };
  const expected = [
    encodeFrame(FrameType.Header, 0, encodeHeaderBody({ sectorSeq: 7, firstSeq: 1000, acked: 989, lossEnd: 989, lossReason: 0, lossTime: 0 }, geometry.code), 1),
    encodeFrame(FrameType.Samples, samples.length, body, 1),
    encodeFrame(FrameType.Samples, samples.length, body, 16),
    encodeFrame(FrameType.Ack, 0, encodeAckBody(1001), 1),
    encodeFrame(FrameType.Gap, 0, encodeGapBody({ lost: 3, reason: GapReason.LogFull, time: T + 120_000 }), 1),
    encodeFrame(FrameType.Header, 0, encodeHeaderBody(loss, geometry.code), 1),
  ];

  it("shows, byte for byte, the frames the encoders write", () => {
    assert.deepEqual(documentedBlocks(), expected.map(hex));
  });

  it("decodes back to what was written", () => {
    const samplesFrame = expected[1];
    const frame = readFrame({ read: (offset, length) => samplesFrame.slice(offset, offset + length) }, 0, samplesFrame.length, 1);
    assert.ok(frame);
    assert.deepEqual(decodeSamples(frame.body, frame.count), samples.map(storedSample));
    const header = expected[5];
    assert.deepEqual(decodeHeaderBody(header.subarray(3, 28), geometry.code), loss);
  });
});
