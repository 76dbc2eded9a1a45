/** The simulated module's volatile settings: lost at every restart, like the real module's RAM. */

export type RegistrationDomain = "eps" | "gprs" | "cs";

export interface ApnProfile {
  type: number;
  apn: string;
  user: string;
  password: string;
  auth: number;
}

export interface Bg95Settings {
  echo: boolean;
  /** AT+CMEE: 0 bare ERROR, 1 numeric, 2 text. */
  cmee: number;
  /** AT+CEREG / CGREG / CREG URC mode. */
  urcMode: Record<RegistrationDomain, number>;
  /** Last status reported by URC per domain, so that only changes are reported. */
  reported: Record<RegistrationDomain, number>;
  qcfg: Map<string, string>;
  /** The AT+CPSMS read answer's fields. */
  psm: string;
  apn: Map<number, ApnProfile>;
  /** Active PDP contexts and their addresses. */
  pdp: Map<number, string>;
  /** AT+CFUN level. */
  functionality: number;
}

export function freshSettings(): Bg95Settings {
  return {
    echo: true,
    cmee: 0,
    urcMode: { eps: 0, gprs: 0, cs: 0 },
    reported: { eps: -1, gprs: -1, cs: -1 },
    qcfg: new Map([["nwscanseq", "020301"], ["iotopmode", "2"], ["nwscanmode", "0"], ["band", "0xf,0x100002000000000f0e189f,0x10004200000000090e189f"]]),
    psm: "0",
    apn: new Map([[1, { type: 1, apn: "", user: "", password: "", auth: 0 }]]),
    pdp: new Map(),
    functionality: 1,
  };
}
