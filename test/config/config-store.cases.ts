import { MemoryKeyValueStore } from "../../hosts/sim/kv-store.js";
import { ConfigStore } from "../../modules/config/config-store.js";
import { apnProblem, DeviceConfigError, parseDeviceConfig } from "../../modules/config/device-config.js";
import { readProvisioning, writeProvisioning } from "../../modules/config/provisioning.js";
import { REFERENCE_PINS } from "../../modules/platform/reference-board.js";
import * as assert from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

function document(version: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version,
    uplink: { host: "broker.example.net", port: 8883, intervalS: 900 },
    apn: "iot.example",
    sampling: { channels: [{ kind: "digital", name: "door", id: 30, pin: 15, intervalS: 3600 }] },
    ...overrides,
  };
}

export const cases: TestCase[] = [
  {
    name: "a complete document parses with defaults filled in",
    run() {
      const config = parseDeviceConfig(document(1), REFERENCE_PINS);
      assert.equal(config.uplink.transport, "mqtt");
      assert.equal(config.uplink.cipherSuite, 0xc02b);
      assert.equal(config.logPolicy, "drop-oldest");
      assert.equal(config.sensorPorts.rs485.baud, 9600);
      assert.equal(config.sampling.channels.length, 1);
    },
  },
  {
    name: "every problem is reported with its path, channel problems included",
    run() {
      const error = assert.throws(() => parseDeviceConfig(document(1, {
        apn: "bad apn!",
        uplink: { host: "h", intervalS: 60, cipherSuite: 0xffff },
        sampling: { channels: [{ kind: "digital", name: "door", id: 30, pin: 99, intervalS: 3600 }] },
        extra: true,
      }), REFERENCE_PINS), DeviceConfigError) as DeviceConfigError;
      const text = error.problems.join("\n");
      for (const expected of ["apn:", "uplink.intervalS", "uplink.cipherSuite", "sampling.channels[0].pin", "extra: unknown setting"]) {
        assert.ok(text.indexOf(expected) >= 0, `missing problem ${expected} in\n${text}`);
      }
    },
  },
  {
    name: "APN validation follows 3GPP label rules",
    run() {
      assert.equal(apnProblem("internet.m2m-provider.com"), undefined);
      for (const bad of ["", "-a", "a-", "a..b", "a b", "ä", "a".repeat(64), "x".repeat(101)]) {
        assert.ok(apnProblem(bad) !== undefined, `accepted ${JSON.stringify(bad)}`);
      }
    },
  },
  {
    name: "a change is applied whole, an invalid one changes nothing, and an older version is refused",
    run() {
      const store = new ConfigStore(new MemoryKeyValueStore(), REFERENCE_PINS);
      assert.equal(store.source, "none");
      assert.ok(store.apply(document(1)).ok);
      const bad = store.apply(document(2, { apn: "" }));
      assert.ok(!bad.ok);
      assert.equal(store.config?.version, 1);
      const stale = store.apply(document(1, { apn: "other.apn" }));
      assert.ok(!stale.ok && stale.problems[0].indexOf("not above") >= 0);
      assert.equal(store.config?.apn, "iot.example");
    },
  },
  {
    name: "a change survives a reboot; an unconfirmed one can be reverted, a confirmed one cannot",
    run() {
      const storage = new MemoryKeyValueStore();
      const first = new ConfigStore(storage, REFERENCE_PINS);
      first.apply(document(1));
      first.apply(document(2, { apn: "second.apn" }));
      const rebooted = new ConfigStore(storage, REFERENCE_PINS);
      assert.equal(rebooted.config?.apn, "second.apn");
      assert.ok(rebooted.unconfirmed);
      assert.ok(rebooted.revert());
      assert.equal(rebooted.config?.version, 1);
      assert.ok(!rebooted.revert(), "nothing left to revert");
      rebooted.apply(document(3, { apn: "third.apn" }));
      rebooted.confirm();
      assert.ok(!rebooted.revert());
      assert.equal(new ConfigStore(storage, REFERENCE_PINS).config?.apn, "third.apn");
    },
  },
  {
    name: "a corrupt stored document falls back to the previous one and says why",
    run() {
      const storage = new MemoryKeyValueStore();
      const store = new ConfigStore(storage, REFERENCE_PINS);
      store.apply(document(1));
      store.apply(document(2));
      storage.write("cfg", new TextEncoder().encode("{ not json"));
      const rebooted = new ConfigStore(storage, REFERENCE_PINS);
      assert.equal(rebooted.source, "previous");
      assert.equal(rebooted.config?.version, 1);
      assert.ok(rebooted.problems.length === 1);
    },
  },
  {
    name: "provisioning round-trips and reports what is missing",
    run() {
      const storage = new MemoryKeyValueStore();
      assert.deepEqual(readProvisioning(storage).missing, ["device id", "server username", "server password", "CA certificate"]);
      writeProvisioning(storage, { deviceId: 1001, username: "dl-1001", password: "s3cret", caCertificate: new TextEncoder().encode("PEM") });
      const read = readProvisioning(storage);
      assert.equal(read.provisioning?.deviceId, 1001);
      assert.equal(read.provisioning?.password, "s3cret");
    },
  },
];
