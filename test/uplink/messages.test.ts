import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { httpsPath } from "../../modules/uplink/endpoints.js";
import { registerCases } from "../support/register-cases.js";
import { cases } from "./messages.cases.js";

registerCases("uplink downlink and report formats", cases);

describe("uplink HTTPS MAC", () => {
  it("is HMAC-SHA256 over the path, a zero byte and the body (checked against Node's crypto)", () => {
    const body = Buffer.from("some packet bytes");
    const expected = createHmac("sha256", "secret").update("/v1/dev/report").update(Buffer.of(0)).update(body).digest("hex");
    assert.equal(httpsPath("dev", "report", "secret", new Uint8Array(body)), `/v1/dev/report?mac=${expected}`);
  });
});
