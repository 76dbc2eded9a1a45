/**
 * A few whole sessions over the simulated link, small enough for XS: the reference app gets the
 * status, a wrong key meets silence, a replayed record ends the session.
 */
import { InstallerApp } from "../../hosts/sim/app/installer-app.js";
import type { InstallerStatus } from "../../modules/ble/installer-status.js";
import { InstallerCharacteristic } from "../../modules/ble/gatt.js";
import { deepEqual, equal } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";
import { AppSteps, appRandom, establish, LOGGER_KEY, OTHER_KEY, RawCentral, SAMPLE_STATUS, startLogger } from "./harness.js";

export const cases: TestCase[] = [
  {
    name: "the reference app pairs and reads the status",
    run() {
      const logger = startLogger();
      const statuses: InstallerStatus[] = [];
      const app = new InstallerApp({
        link: logger.board.ble, scheduler: logger.board.scheduler, pairingKey: LOGGER_KEY, random: appRandom("xs"),
        pollIntervalMs: 1000, onStatus: (status) => statuses.push(status),
      });
      app.connect();
      logger.run(2_500);
      equal(app.state, "established");
      equal(statuses.length, 3);
      deepEqual(statuses[0], SAMPLE_STATUS);
    },
  },
  {
    name: "a wrong key meets silence and a dropped connection",
    run() {
      const logger = startLogger();
      const central = new RawCentral(logger.board.ble);
      central.connect();
      central.send(InstallerCharacteristic.handshake, new AppSteps(OTHER_KEY).hello);
      logger.run(200);
      equal(central.connected, false);
      deepEqual(central.notifications, []);
      equal(logger.counters.get("ble.drop.binder"), 1);
      deepEqual(logger.board.crashes, []);
    },
  },
  {
    name: "a replayed record ends the session after one answer",
    run() {
      const logger = startLogger();
      const central = new RawCentral(logger.board.ble);
      const steps = establish(logger, central);
      const record = steps.request({ kind: "status" });
      central.send(InstallerCharacteristic.request, record);
      logger.run(100);
      central.send(InstallerCharacteristic.request, record);
      logger.run(200);
      equal(central.connected, false);
      equal(central.messages.filter((m) => m.characteristic === InstallerCharacteristic.notification).length, 1);
      equal(logger.counters.get("ble.drop.sequence"), 1);
    },
  },
];
