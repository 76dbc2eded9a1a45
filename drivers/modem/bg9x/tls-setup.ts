/**
 * The CA certificate and the SSL context. The certificate is written to the module's file
 * system with `AT+QFUPL` and the module's checksum is compared with our own, so a byte lost or
 * changed on the UART fails the session instead of silently weakening verification.
 */
import type { Bg9xModem, Done } from "./bg9x-modem.js";
import { TIMEOUTS } from "./command-timeouts.js";
import { transferTimeMs } from "../at/serial-link.js";
import { quectelChecksum, parseUploadReport } from "./file-checksum.js";
import { commandError, modemError } from "./modem-error.js";
import { sendAll } from "./network-setup.js";
import { tlsContextCommands, type TlsContextSettings } from "./tls-config.js";

export const CA_FILE = "ca.pem";
/** The CA the module's own DFOTA download verifies the package server with (Quectel DFOTA guide). */
export const FOTA_CA_FILE = "fota_cacert.pem";
const UPLOAD_ATTEMPTS = 2;

export function uploadFile(modem: Bg9xModem, name: string, data: Uint8Array, done: Done, attempts = UPLOAD_ATTEMPTS): void {
  modem.engine.send({ text: `AT+QFDEL="${name}"`, timeoutMs: TIMEOUTS.fileDelete }, (deleted) => {
    // 405: no such file, the usual case on a fresh module.
    if (deleted.final.kind === "timeout") return done(commandError(deleted, "AT+QFDEL"));
    modem.engine.send({
      text: `AT+QFUPL="${name}",${data.length},100`,
      timeoutMs: TIMEOUTS.fileUpload + 2 * transferTimeMs(data.length),
      responsePrefixes: ["+QFUPL:"],
      send: { after: "connect", data },
    }, (result) => {
      if (result.final.kind !== "ok") return done(commandError(result, "AT+QFUPL"));
      const report = result.lines.map(parseUploadReport).find((r) => r !== undefined);
      const expected = quectelChecksum(data);
      if (report && report.size === data.length && report.checksum === expected) return done();
      const detail = report ? `module stored ${report.size} bytes, checksum ${report.checksum}, expected ${data.length}, ${expected}` : "no +QFUPL report";
      modem.transcript.record("note", `upload of ${name} corrupt: ${detail}`);
      if (attempts > 1) return uploadFile(modem, name, data, done, attempts - 1);
      done(modemError("upload-corrupt", detail));
    });
  });
}

export function configureTls(modem: Bg9xModem, caCertificate: Uint8Array, settings: Omit<TlsContextSettings, "caFile">, done: Done): void {
  uploadFile(modem, CA_FILE, caCertificate, (error) => {
    if (error) return done(error);
    sendAll(modem, tlsContextCommands({ ...settings, caFile: CA_FILE }), TIMEOUTS.basic, done);
  });
}
