/**
 * Updates end to end over the simulated modem: a signed logger image fetched by Range GETs through
 * the BG95's HTTP stack in several 2-minute sessions, one of them cut by a lost link, then
 * verified, test-booted, self-checked over the modem and confirmed; and the modem's own firmware
 * updated by DFOTA with the session's AT channel handed over, the new revision reported.
 */
import { decodeOtaReport, encodeOtaReport } from "../../modules/ota/ota-report.js";
import type { SessionReport } from "../../modules/ota/ota-agent.js";
import { deepEqual, equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { ModemOtaWorld } from "./support/modem-ota-world.js";

const HOUR = 3_600_000;
const CHUNK = 8192;
const BASE = "BG95M3LAR02A03_01.200.01.200";
const NEXT = "BG95M3LAR02A03_01.201.01.201";

function report(outcome: SessionReport | string): SessionReport {
  if (typeof outcome === "string") throw new Error(`the session did not reach the updater: ${outcome}`);
  return outcome;
}

export const cases: TestCase[] = [
  {
    name: "a signed image by Range GETs over the modem in three sessions, the link lost in the first; verified, test-booted, confirmed",
    run() {
      const w = new ModemOtaWorld("ota-over-modem");
      equal(report(w.session()).outcome, "nothing-to-do", "a first session: the broker now keeps the logger's downlinks");
      const { image } = w.offerImage("1.2.0", 190_000);
      // The session is ready after about 15 s and the updater starts 3 s later; coverage goes mid-download.
      w.scheduler.after(35_000, () => w.world.modem.radio.loseCoverageFor(20 * 60_000));
      const first = report(w.session());
      deepEqual(w.noticeResults, [{ accepted: true }], "the notice came down the MQTT downlink");
      equal(first.outcome, "fetch-failed");
      ok(first.fetchedBytes > 0 && first.fetchedBytes % CHUNK === 0, `whole chunks kept: ${first.fetchedBytes}`);
      const failedAt = first.fetchedBytes;
      const requestsInFirst = w.updates.requests.length;
      w.runUntil(() => false, HOUR);
      const second = report(w.session());
      equal(second.outcome, "paused", "the budget ran out before the image was complete");
      w.runUntil(() => false, HOUR);
      const third = report(w.session());
      equal(third.outcome, "downloaded");
      equal(first.fetchedBytes + second.fetchedBytes + third.fetchedBytes, image.length);

      const requests = w.updates.requests;
      ok(requests.every((call) => call.method === "GET" && /^bytes=\d+-\d+$/.test(call.fields["range"] ?? "")), "every request a Range GET");
      equal(requests[requestsInFirst].fields["range"], `bytes=${failedAt}-${failedAt + CHUNK - 1}`, "the second session resumed at the chunk in flight");

      ok(w.runUntil(() => w.world.board.running && w.running() === "1.2.0" && !w.boot.platform.update.running().testBoot, 30 * 60_000), "confirmed");
      deepEqual(w.boots, ["0.1.0", "1.2.0"]);
      const history = w.boot.agent.history();
      equal(history[history.length - 1]?.outcome, "installed");
      equal(w.boot.agent.status().update, undefined);
      equal(w.counters.get("ota.fetchFailures"), 1);
      equal(w.counters.get("modem.sessionLimit"), 0, "no session ran into the 2-minute limit");
      ok(w.counters.get("modem.gets") >= Math.ceil(image.length / CHUNK), "the chunks came by modem GETs");
    },
  },
  {
    name: "the modem's firmware by DFOTA: a signed package, the AT channel handed over past 2 minutes, progress, reboot, new revision reported",
    run() {
      const w = new ModemOtaWorld("dfota-over-modem");
      equal(report(w.session()).outcome, "nothing-to-do");
      const url = w.offerModemPackage(BASE, NEXT);
      const progress: string[] = [];
      const watch = () => {
        const update = w.world.board.running ? w.boot.agent.status().update : undefined;
        if (update?.modemProgress && progress[progress.length - 1] !== update.modemProgress.kind) progress.push(update.modemProgress.kind);
        if (w.wakeLocks > 0 || progress.length === 0) w.scheduler.after(5000, watch);
      };
      w.scheduler.after(5000, watch);
      const started = w.scheduler.now;
      const result = report(w.session());
      equal(result.outcome, "modem-updated");
      ok(w.scheduler.now - started > 150_000, `the session lasted ${w.scheduler.now - started} ms`);
      equal(w.counters.get("modem.sessionLimit"), 0, "the 2-minute limit was lifted");
      equal(w.world.modem.firmware, NEXT);
      ok(w.world.modem.received.includes(`AT+QFOTADL="${url}"`), "the package URL from the signed manifest");
      for (const kind of ["http-start", "updating", "restore"]) ok(progress.includes(kind), `progress seen: ${progress.join(",")}`);
      equal(w.wakeLocks, 0, "the wake lock was released");
      const sent = decodeOtaReport(encodeOtaReport(w.boot.agent.report()));
      equal(sent.history[sent.history.length - 1]?.outcome, "modem-updated", "in the update report");
      equal(report(w.session()).outcome, "nothing-to-do");
      equal(w.boot.session.health.firmware, NEXT, "the session reads the new revision");
    },
  },
];
