/**
 * The installer GATT service as the code sees it: characteristic names as in
 * bleservices/installer.json (Moddable passes the name to onCharacteristicWritten) and ATT sizes.
 */
export const InstallerCharacteristic = Object.freeze({
  /** App writes ClientHello and ClientFinished; device notifies ServerHello. */
  handshake: "handshake",
  /** App writes encrypted request records. */
  request: "request",
  /** Device notifies encrypted response records. */
  notification: "notification",
});

/** ATT_MTU before any exchange (Core spec Vol 3 Part F 3.2.8). */
export const ATT_DEFAULT_MTU = 23;
/** Largest ATT_MTU we use: nRF52's SoftDevice caps at 247, and so does the service design. */
export const ATT_MAX_MTU = 247;
/** Opcode and handle in front of every notification and write. */
export const ATT_HEADER_BYTES = 3;

/** The MTU both sides use after an exchange: within [23, 247]. */
export function effectiveMtu(exchanged: number): number {
  if (!Number.isFinite(exchanged)) return ATT_DEFAULT_MTU;
  return Math.max(ATT_DEFAULT_MTU, Math.min(ATT_MAX_MTU, Math.floor(exchanged)));
}
