/**
 * Final result codes of V.250 / 3GPP TS 27.007 in verbose form (ATV1). `+CME ERROR: <n>` and
 * `+CMS ERROR: <n>` carry a numeric code with AT+CMEE=1, or text with AT+CMEE=2.
 */
export type FinalKind =
  | "ok" | "error" | "cme-error" | "cms-error" | "no-carrier" | "busy" | "no-answer" | "no-dialtone"
  /** No final result arrived within the command's time limit. */
  | "timeout"
  /** The engine dropped the command (abortAll): shutdown, pause, session limit. */
  | "aborted";

export interface FinalResult {
  kind: FinalKind;
  /** The numeric code of a CME/CMS error (NaN when the modem answered with text). */
  code?: number;
  /** The line as received, or a short description for timeout / aborted. */
  text: string;
}

const PLAIN_FINALS: Record<string, FinalKind> = {
  "OK": "ok",
  "ERROR": "error",
  "NO CARRIER": "no-carrier",
  "BUSY": "busy",
  "NO ANSWER": "no-answer",
  "NO DIALTONE": "no-dialtone",
};

/** The final result a line stands for, or undefined when it is not one. */
export function parseFinal(line: string): FinalResult | undefined {
  const plain = PLAIN_FINALS[line];
  if (plain) return { kind: plain, text: line };
  const error = /^\+(CME|CMS) ERROR: ?(.*)$/.exec(line);
  if (!error) return undefined;
  const code = /^\d+$/.test(error[2]) ? Number(error[2]) : NaN;
  return { kind: error[1] === "CME" ? "cme-error" : "cms-error", code, text: line };
}
