/**
 * Quectel DFOTA progress reports (BG96/BG95 DFOTA User Guide, AT+QFOTADL): after `OK` the module
 * fetches the package (`HTTPSTART`, `HTTPEND,<err>`), applies it (`START`, `UPDATING,<pct>`,
 * `RESTORE,<pct>`) and ends with `END,<err>` before it reboots; 0 means success. A module that lost
 * power during RESTORE says so at the next power-up and continues.
 */
export const FOTA_URC_PREFIX = '+QIND: "FOTA"';

export type FotaEvent =
  | { kind: "http-start" }
  | { kind: "http-end"; error: number }
  | { kind: "start" }
  | { kind: "updating"; percent: number }
  | { kind: "restore"; percent: number }
  | { kind: "end"; error: number }
  | { kind: "resumed" };

const WITH_NUMBER = /^\+QIND: "FOTA","(HTTPEND|UPDATING|RESTORE|END)",(\d{1,5})%?$/;
const BARE = /^\+QIND: "FOTA","(HTTPSTART|START)"$/;

export function parseFotaUrc(line: string): FotaEvent | undefined {
  const numbered = WITH_NUMBER.exec(line);
  if (numbered) {
    const value = Number(numbered[2]);
    switch (numbered[1]) {
      case "HTTPEND": return { kind: "http-end", error: value };
      case "END": return { kind: "end", error: value };
      case "UPDATING": return value <= 100 ? { kind: "updating", percent: value } : undefined;
      default: return value <= 100 ? { kind: "restore", percent: value } : undefined;
    }
  }
  const bare = BARE.exec(line);
  if (bare) return bare[1] === "START" ? { kind: "start" } : { kind: "http-start" };
  if (/^\+QIND: "FOTA","Last upgrade was not finished/.test(line)) return { kind: "resumed" };
  return undefined;
}
