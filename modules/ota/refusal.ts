/**
 * Why an update was not taken, for the history, health and the uplink. Each reason has a stable
 * code (its index) in the journal and the update report (docs/firmware-update.md).
 */
export const REFUSAL_REASONS = [
  "malformed",        // the notice or manifest does not parse
  "unknown-key",      // signed by a key this build does not trust (a development key on a production build)
  "bad-signature",    // the signature does not verify
  "wrong-model",      // built for another hardware model
  "downgrade",        // security counter below the bootloader's floor
  "not-newer",        // version not above the running one
  "too-large",        // image larger than a slot
  "bad-url",          // image location unusable
  "busy",             // a test boot or a modem update is in progress
  "image-corrupt",    // the written image's SHA-256 differs from the manifest's
  "image-truncated",  // the server holds fewer bytes than the manifest says
  "image-oversized",  // the server holds more bytes than the manifest says
  "image-rejected",   // the bootloader refused the written slot
  "failed-before",    // this very manifest already failed; a corrected update needs a new manifest
  "wrong-base",       // the modem does not run the revision the package applies to
  "unsupported",      // a modem package for a logger built without a modem updater
] as const;

export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export class UpdateRefused extends Error {
  readonly reason: RefusalReason;

  constructor(reason: RefusalReason, message: string) {
    super(`${reason}: ${message}`);
    this.name = "UpdateRefused";
    this.reason = reason;
  }
}
