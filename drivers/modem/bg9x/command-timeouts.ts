/**
 * How long each command may take before the engine gives up, from the BG95 AT manual's
 * "maximum response time" where it gives one. URC waits (`...Urc`) start after the command's
 * OK and bound the network operation it started.
 */
export const TIMEOUTS = Object.freeze({
  probe: 300,
  basic: 1000,
  cpin: 5000,
  /** AT+COPS? may block while the module scans (manual: 180 s). */
  cops: 180_000,
  cfun: 15_000,
  /** AT+QIACT: PDP activation (manual: 150 s). */
  qiact: 150_000,
  qideact: 40_000,
  fileDelete: 5000,
  /** AT+QFUPL: time to the CONNECT and from the last byte to +QFUPL; the transfer is added. */
  fileUpload: 5000,
  /** +QMTOPEN: TCP connect plus the TLS handshake (bounded by negotiatetime). */
  mqttOpenUrc: 75_000,
  /** +QMTCONN / +QMTSUB / +QMTPUB: packet timeout x (retries + 1) plus a margin. */
  mqttAckUrc: 25_000,
  mqttCloseUrc: 10_000,
  httpUrl: 10_000,
  httpPost: 10_000,
  httpGet: 10_000,
  /** +QHTTPPOST / +QHTTPGET: the server's answer (the rsptime parameter). */
  httpResponseUrc: 65_000,
  httpRead: 65_000,
  /** From OK to the POWERED DOWN URC. */
  powerDownUrc: 10_000,
  /** A raw line from the console (AT+COPS=? scans take longer and get `cops`). */
  console: 10_000,
  /** From PWRKEY release to RDY / APP RDY. */
  boot: 15_000,
});
