/**
 * The updater's journal: its state encoding, and the two-block store under power cuts at every
 * program and erase (both torn models): a load after the cut gives the state before the
 * interrupted save or the one it was writing, never anything else.
 */
import { FormatError } from "../../modules/codec/byte-reader.js";
import { HISTORY_LENGTH, appendHistory, type HistoryEntry } from "../../modules/ota/history.js";
import { decodeJournalState, encodeJournalState, type JournalState } from "../../modules/ota/journal-state.js";
import { JournalStore } from "../../modules/ota/journal-store.js";
import { NorFlash, PowerCut, TORN_MODELS } from "../../hosts/sim/nor-flash.js";
import { SeededRandom } from "../../hosts/sim/seeded-random.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

const V = { major: 2, minor: 1, patch: 0 };

function entries(): HistoryEntry[] {
  return [
    { outcome: "installed", target: "logger", version: V, atS: 1_780_000_000 },
    { outcome: "rolled-back", target: "logger", version: V, atS: 1_780_000_100, cause: "watchdog" },
    { outcome: "refused", target: "modem", version: V, atS: 0, reason: "wrong-base" },
    { outcome: "modem-updated", target: "modem", version: V, atS: 5 },
    { outcome: "modem-failed", target: "modem", version: V, atS: 6, error: 702 },
  ];
}

/** A state that differs with `n`, so that every save writes something new. */
function stateNumber(n: number): JournalState {
  return {
    update: {
      phase: n % 2 ? "downloading" : "installing", manifest: new Uint8Array(180 + (n % 7)).fill(n & 0xff),
      url: `https://updates.example/images/${n}.bin`, written: n * 8192, sessions: n, failures: n % 3, mark: n % 2 ? 0 : n,
    },
    failedDigest: n % 3 === 0 ? new Uint8Array(8).fill(n & 0xff) : undefined,
    history: entries().slice(0, n % (HISTORY_LENGTH - 2)),
  };
}

function clean(state: JournalState): JournalState {
  const out: JournalState = { history: state.history };
  if (state.update) out.update = state.update;
  if (state.failedDigest) out.failedDigest = state.failedDigest;
  return out;
}

export const cases: TestCase[] = [
  {
    name: "journal state: every phase and history outcome round-trips; garbage and truncations are FormatErrors",
    run() {
      for (let n = 0; n < 8; n++) deepEqual(decodeJournalState(encodeJournalState(clean(stateNumber(n)))), clean(stateNumber(n)));
      deepEqual(decodeJournalState(encodeJournalState({ history: entries() })), { history: entries() });
      const encoded = encodeJournalState(clean(stateNumber(3)));
      for (let length = 0; length < encoded.length; length++) throws(() => decodeJournalState(encoded.subarray(0, length)), FormatError);
      const badPhase = encoded.slice();
      badPhase[1] = 9;
      throws(() => decodeJournalState(badPhase), /phase code/);
    },
  },
  {
    name: "history keeps the newest entries only",
    run() {
      let history: HistoryEntry[] = [];
      for (let i = 0; i < 20; i++) history = appendHistory(history, { outcome: "installed", target: "logger", version: { major: i, minor: 0, patch: 0 }, atS: i });
      equal(history.length, HISTORY_LENGTH);
      equal(history[0].version.major, 20 - HISTORY_LENGTH);
      equal(history[HISTORY_LENGTH - 1].version.major, 19);
    },
  },
  {
    name: "a blank journal loads as idle; saves survive reloads and wrap around the two blocks",
    run() {
      const flash = new NorFlash({ blocks: 2, random: new SeededRandom("journal") });
      deepEqual(new JournalStore(flash).load(), { history: [] });
      const store = new JournalStore(flash);
      store.load();
      for (let n = 1; n <= 100; n++) {
        store.save(clean(stateNumber(n)));
        deepEqual(new JournalStore(flash).load(), clean(stateNumber(n)), `after save ${n}`);
      }
      ok(flash.eraseCounts[0] > 1 && flash.eraseCounts[1] > 1, "both blocks took turns");
    },
  },
  {
    name: "a power cut at every program and erase of a save leaves the old state or the new one",
    run() {
      let switches = 0;
      for (const model of TORN_MODELS) {
        for (const granularity of [1, 16] as const) {
          // A save costs at most an erase and a program: cut each of them, at saves that append
          // and at those that move to the other block (about every 15th here).
          for (let before = 1; before <= 24; before++) {
            for (let cutAt = 1; cutAt <= 2; cutAt++) {
              const flash = new NorFlash({ blocks: 2, writeGranularity: granularity, random: new SeededRandom(`${model}${before}${cutAt}`) });
              const store = new JournalStore(flash);
              store.load();
              for (let n = 1; n <= before; n++) store.save(clean(stateNumber(n)));
              const erasesBefore = flash.stats.erases;
              flash.armPowerCut(cutAt, model);
              let cut = false;
              try {
                store.save(clean(stateNumber(before + 1)));
              } catch (error) {
                ok(error instanceof PowerCut, String(error));
                cut = true;
              }
              flash.disarmPowerCut();
              flash.powerOn();
              if (flash.stats.erases > erasesBefore) switches++;
              const reloaded = new JournalStore(flash);
              const state = reloaded.load();
              const label = `${model}/${granularity}: cut at op ${cutAt} of save ${before + 1}`;
              const expectedOld = JSON.stringify(clean(stateNumber(before)));
              const expectedNew = JSON.stringify(clean(stateNumber(before + 1)));
              const got = JSON.stringify(state);
              ok(got === expectedOld || (got === expectedNew), `${label}: got another state`);
              if (!cut) equal(got, expectedNew, label);
              // The journal keeps working after the cut.
              reloaded.save(clean(stateNumber(50)));
              deepEqual(new JournalStore(flash).load(), clean(stateNumber(50)), `${label}: save after the cut`);
            }
          }
        }
      }
      ok(switches >= 8, `cuts during a move to the other block: ${switches}`);
    },
  },
];
