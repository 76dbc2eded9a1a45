/** The service JSON the Moddable manifests include matches what the code writes and notifies. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ATT_HEADER_BYTES, ATT_MAX_MTU, InstallerCharacteristic } from "../../modules/ble/gatt.js";

interface Characteristic {
  uuid: string;
  maxBytes: number;
  type: string;
  permissions: string;
  properties: string;
}

const service = (JSON.parse(readFileSync("modules/ble/bleservices/installer.json", "utf8")) as {
  service: { uuid: string; characteristics: Record<string, Characteristic> };
}).service;

describe("installer GATT service (bleservices/installer.json)", () => {
  it("declares exactly the characteristics the code uses, with distinct 128-bit UUIDs", () => {
    assert.deepEqual(Object.keys(service.characteristics).sort(), Object.values(InstallerCharacteristic).sort());
    const uuids = [service.uuid, ...Object.values(service.characteristics).map((c) => c.uuid)];
    for (const uuid of uuids) assert.match(uuid, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    assert.equal(new Set(uuids).size, uuids.length);
  });

  it("sizes every value for a 247-byte MTU and offers only write and notify", () => {
    const { handshake, request, notification } = service.characteristics;
    for (const c of [handshake, request, notification]) {
      assert.equal(c.maxBytes, ATT_MAX_MTU - ATT_HEADER_BYTES);
      assert.equal(c.type, "ArrayBuffer");
    }
    assert.equal(handshake.properties, "write,notify");
    assert.equal(request.properties, "write");
    assert.equal(notification.properties, "notify");
    for (const c of [handshake, request, notification]) assert.ok(!c.properties.includes("read"), "nothing to read");
  });
});
