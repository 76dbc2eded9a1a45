/**
 * The platform's BlePeripheral over Moddable's BLEServer events (BleSession), against a stand-in
 * for the BLEServer subclass that records what the session asks of it.
 */
import { BleSession, DEFAULT_MTU, type GattCharacteristic, type GattServer, type GattServerEvents } from "../../hosts/moddable/ble-session.js";
import type { BleCallbacks } from "../../modules/platform/ble.js";
import type { TestCase } from "../support/cases.js";
import { deepEqual, equal, ok, throws } from "../support/assert.js";

class RecordingServer implements GattServer {
  readonly log: string[] = [];
  notified: Array<{ name: string; value: ArrayBuffer | Uint8Array }> = [];
  advertise(deviceName: string): void {
    this.log.push(`advertise ${deviceName}`);
  }
  notify(characteristic: GattCharacteristic, value: ArrayBuffer | Uint8Array): void {
    this.notified.push({ name: characteristic.name, value });
  }
  disconnect(): void {
    this.log.push("disconnect");
  }
  close(): void {
    this.log.push("close");
  }
}

function started(): { session: BleSession; server: RecordingServer; events: GattServerEvents; calls: string[]; reported: unknown[] } {
  const server = new RecordingServer();
  let events: GattServerEvents | undefined;
  const reported: unknown[] = [];
  const session = new BleSession((e) => { events = e; return server; }, (error) => reported.push(error));
  const calls: string[] = [];
  const callbacks: BleCallbacks = {
    onConnected: (c) => calls.push(`connected ${c}`),
    onDisconnected: (c) => calls.push(`disconnected ${c}`),
    onMTUExchanged: (mtu) => calls.push(`mtu ${mtu}`),
    onCharacteristicWritten: (name, value) => calls.push(`written ${name} ${Array.from(value).join(",")}`),
  };
  session.start("DL-1 0042", callbacks);
  if (!events) throw new Error("server not created");
  return { session, server, events, calls, reported };
}

const status: GattCharacteristic = { name: "status", handle: 12 };
const typed: GattCharacteristic = { name: "records", handle: 14, type: "Uint8Array" };

export const cases: TestCase[] = [
  {
    name: "advertises under the device name when ready, and again after every disconnection",
    run() {
      const { session, server, events, calls } = started();
      events.onReady();
      events.onConnected(3);
      events.onDisconnected(3);
      deepEqual(server.log, ["advertise DL-1 0042", "advertise DL-1 0042"]);
      deepEqual(calls, ["connected 3", "disconnected 3"]);
      throws(() => session.start("again", { onConnected() {}, onDisconnected() {}, onCharacteristicWritten() {} }), /already started/);
    },
  },
  {
    name: "notifications reach only subscribed characteristics of a connected client, as the characteristic's type",
    run() {
      const { session, server, events } = started();
      events.onReady();
      session.notifyValue("status", Uint8Array.of(1));
      events.onConnected(1);
      session.notifyValue("status", Uint8Array.of(2));
      events.onNotifyEnabled(status);
      events.onNotifyEnabled(typed);
      session.notifyValue("status", Uint8Array.of(3));
      session.notifyValue("records", Uint8Array.of(4));
      events.onNotifyDisabled(status);
      session.notifyValue("status", Uint8Array.of(5));
      equal(server.notified.length, 2);
      ok(server.notified[0].value instanceof ArrayBuffer, "untyped characteristic gets an ArrayBuffer");
      deepEqual(new Uint8Array(server.notified[0].value as ArrayBuffer), Uint8Array.of(3));
      ok(server.notified[1].value instanceof Uint8Array, "Uint8Array characteristic gets a Uint8Array");
      events.onDisconnected(1);
      events.onConnected(2);
      session.notifyValue("records", Uint8Array.of(6));
      equal(server.notified.length, 2, "subscriptions end with the connection");
    },
  },
  {
    name: "values longer than MTU - 3 are refused; the MTU resets to 23 on each connection",
    run() {
      const { session, events, calls } = started();
      events.onConnected(1);
      throws(() => session.notifyValue("status", new Uint8Array(DEFAULT_MTU - 2)), /exceeds MTU 23 - 3/);
      events.onMTUExchanged(247);
      session.notifyValue("status", new Uint8Array(244));
      throws(() => session.notifyValue("status", new Uint8Array(245)), /exceeds MTU 247/);
      events.onDisconnected(1);
      events.onConnected(2);
      throws(() => session.notifyValue("status", new Uint8Array(21)), /MTU 23/);
      deepEqual(calls.filter((c) => c.startsWith("mtu")), ["mtu 247"]);
    },
  },
  {
    name: "writes arrive as bytes by characteristic name; a value of another type is reported, not delivered",
    run() {
      const { events, calls, reported } = started();
      events.onConnected(1);
      events.onWritten(status, Uint8Array.of(7, 8).buffer);
      events.onWritten(typed, Uint8Array.of(9));
      events.onWritten({ name: "mode", handle: 20, type: "Uint8" }, 4);
      deepEqual(calls.slice(1), ["written status 7,8", "written records 9"]);
      equal(reported.length, 1);
      ok(reported[0] instanceof TypeError && /"mode" must be of type ArrayBuffer or Uint8Array/.test(reported[0].message), "clear error");
    },
  },
  {
    name: "disconnect and stop: the server is asked once, callbacks stop after stop",
    run() {
      const { session, server, events, calls } = started();
      session.disconnect();
      events.onConnected(1);
      session.disconnect();
      session.stop();
      events.onDisconnected(1);
      deepEqual(server.log, ["disconnect", "close"]);
      deepEqual(calls, ["connected 1"]);
    },
  },
];
