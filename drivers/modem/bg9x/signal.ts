/** Signal quality: `+CSQ` (27.007) and Quectel's `+QCSQ` with the serving RAT's LTE measures. */
import { numericFields } from "./fields.js";

export interface SignalQuality {
  /** Received signal strength in dBm, undefined when the modem does not know (99). */
  rssiDbm?: number;
  /** "eMTC", "NBIoT", "GSM" or "NOSERVICE" from +QCSQ. */
  rat?: string;
  rsrpDbm?: number;
  rsrqDb?: number;
  sinrDb?: number;
}

/** `+CSQ: <rssi>,<ber>`: 0 = -113 dBm or less, 31 = -51 dBm or more, 99 unknown. */
export function parseCsq(line: string): SignalQuality | undefined {
  const fields = numericFields(line, "+CSQ:");
  if (!fields || fields.length < 1) return undefined;
  const rssi = fields[0];
  if (rssi === 99 || rssi < 0 || rssi > 31) return {};
  return { rssiDbm: -113 + 2 * rssi };
}

/** `+QCSQ: "eMTC",<rssi>,<rsrp>,<sinr>,<rsrq>`; SINR is reported as 5 x (dB + 20). */
export function parseQcsq(line: string): SignalQuality | undefined {
  const match = /^\+QCSQ: "([A-Za-z-]+)"(.*)$/.exec(line);
  if (!match) return undefined;
  const values = match[2].split(",").slice(1).map(Number);
  const rat = match[1];
  if (rat === "eMTC" || rat === "NBIoT" || rat === "CAT-M" || rat === "CAT-NB") {
    if (values.length < 4 || values.some((v) => !Number.isFinite(v))) return undefined;
    return { rat, rssiDbm: values[0], rsrpDbm: values[1], sinrDb: (values[2] - 100) / 5, rsrqDb: values[3] };
  }
  if (rat === "GSM") return Number.isFinite(values[0]) ? { rat, rssiDbm: values[0] } : undefined;
  return { rat };
}
