/**
 * An updater-only firmware for the XS bridge test: the updater runs inside XS against the board's
 * firmware slots in Node. Its update server lives in XS too (the same bytes at every boot), so only
 * the platform crosses the bridge: timers, the inactive slot, the journal, mark, confirm, restart.
 */
import { encodeNotice, decodeNotice } from "../../../modules/ota/notice.js";
import { OtaAgent } from "../../../modules/ota/ota-agent.js";
import { trustedKeysFor } from "../../../modules/ota/vendor-keys.js";
import type { Platform } from "../../../modules/platform/platform.js";
import { DEV_SIGNING_KEY } from "../../../hosts/sim/ota/dev-key.js";
import { ServerImageSource } from "../../../hosts/sim/ota/server-image-source.js";
import { encodeSimImage } from "../../../hosts/sim/ota/sim-image.js";
import { signManifest } from "../../../hosts/sim/ota/signing.js";
import { SimUpdateServer } from "../../../hosts/sim/ota/update-server.js";

export const XS_UPDATE_VERSION = "3.0.0";

export function updaterFirmware(platform: Platform): void {
  const server = new SimUpdateServer();
  const image = encodeSimImage({
    version: XS_UPDATE_VERSION, securityCounter: 3, model: "DL-1", behaviour: 0, payload: new Uint8Array(24_000).fill(0x5c),
  });
  const manifest = signManifest(image, { version: XS_UPDATE_VERSION, securityCounter: 3, model: "DL-1" }, DEV_SIGNING_KEY);
  const url = server.publish("/images/3.0.0.bin", image);
  const agent = new OtaAgent({
    platform,
    trust: trustedKeysFor("development"),
    source: new ServerImageSource(server, platform.timers),
    selfCheck: { run: (done) => { platform.timers.set(() => done(), 2_000); } },
    signal: () => ({ rsrpDbm: -100 }),
    wakeLock: { acquire: () => () => undefined },
  });
  agent.start();
  const report = () => {
    const { status, history } = agent.report();
    platform.trace(`xs-ota run=${status.running.version} trial=${status.running.testBoot} history=${history.map((e) => e.outcome).join(",")}`);
  };
  report();
  if (platform.update.running().version !== XS_UPDATE_VERSION && !agent.status().update) {
    const answer = agent.onNotice(decodeNotice(encodeNotice({ manifest, url })));
    platform.trace(`xs-ota notice ${answer.accepted ? "accepted" : answer.reason}`);
  }
  platform.timers.set(() => agent.runSession(120_000, (session) => {
    platform.trace(`xs-ota session ${session.outcome} ${session.fetchedBytes}`);
  }), 1_000);
  platform.timers.set(report, 30_000);
}
