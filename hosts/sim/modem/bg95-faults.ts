/**
 * Faults the simulated BG95 can be told to show. Each is one-shot unless said otherwise: it
 * arms on the next matching event and disarms once it has happened (or been cured).
 */

/** What makes a hung module answer again, weakest first. */
export const HANG_CURES = ["time", "cfun", "power-key", "reset-line", "power-cut"] as const;
export type HangCure = (typeof HANG_CURES)[number];

export interface HangFault {
  /** The hang starts when a command line starting with this arrives (e.g. `AT+QMTPUB`). */
  trigger: string;
  /**
   * `silent`: the whole module stops answering (UART dead). `stuck`: only commands starting
   * with `trigger` go unanswered; `AT` still works.
   */
  mode: "silent" | "stuck";
  /** The weakest action that ends it; anything stronger ends it too. */
  curedBy: HangCure;
  /** For `curedBy: "time"`: how long the module stays silent. */
  durationMs?: number;
}

export type PublishDrop = "before-delivery" | "after-delivery";

export class Bg95Faults {
  hang: HangFault | undefined;
  /** URC prefixes whose next occurrence is never sent. */
  readonly lostUrcs: string[] = [];
  /** The next final result code is replaced by line noise. */
  corruptNextFinal = false;
  /** The next file upload stores a flipped byte (checksum mismatch). */
  corruptNextUpload = false;
  /** The link drops while the next QoS 1 publish is in flight. */
  dropLinkOnPublish: PublishDrop | undefined;
  /** The next DFOTA download fails with this `<http_err>` (HTTPEND) instead of fetching. */
  fotaDownloadError: number | undefined;

  /** The armed DFOTA download error, disarmed. */
  takeFotaDownloadError(): number | undefined {
    const error = this.fotaDownloadError;
    this.fotaDownloadError = undefined;
    return error;
  }

  /** Makes the next URC starting with `prefix` disappear. */
  loseNextUrc(prefix: string): void {
    this.lostUrcs.push(prefix);
  }

  /** True (and disarmed) when a URC line should be dropped. */
  takeLostUrc(line: string): boolean {
    const index = this.lostUrcs.findIndex((prefix) => line.startsWith(prefix));
    if (index < 0) return false;
    this.lostUrcs.splice(index, 1);
    return true;
  }
}

export function cures(action: HangCure, needed: HangCure): boolean {
  return HANG_CURES.indexOf(action) >= HANG_CURES.indexOf(needed);
}
