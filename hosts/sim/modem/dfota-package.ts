/**
 * What the simulated BG95 takes for a DFOTA delta package: the text `DFOTA <from> <to>`, the
 * revision it patches and the one it yields. `dfotaPackage` (hosts/sim/ota/dfota-modem.ts) makes
 * one; anything else is a broken package to the module.
 */
export interface DfotaPackage {
  fromRevision: string;
  toRevision: string;
}

const PACKAGE = /^DFOTA ([A-Za-z0-9_.-]{1,64}) ([A-Za-z0-9_.-]{1,64})$/;

export function decodeDfotaPackage(bytes: Uint8Array): DfotaPackage | undefined {
  if (bytes.length > 200) return undefined;
  const match = PACKAGE.exec(String.fromCharCode(...bytes));
  return match ? { fromRevision: match[1], toRevision: match[2] } : undefined;
}
