/**
 * The TLS policy the firmware applies to the modem's SSL context: TLS 1.2 only, exactly one of
 * four ECDHE AES-128 suites (never 0xFFFF, "all"), the server verified against the CA that the
 * firmware uploaded (seclevel 1), SNI on, and the module's clock used for certificate validity.
 */
export const CIPHER_SUITES = Object.freeze({
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 0xc027,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 0xc023,
});

export type CipherSuite = 0xc02f | 0xc02b | 0xc027 | 0xc023;

export function isAllowedSuite(value: number): value is CipherSuite {
  return Object.keys(CIPHER_SUITES).some((name) => CIPHER_SUITES[name as keyof typeof CIPHER_SUITES] === value);
}

/** The suite as QSSLCFG writes it: `0XC02F`. */
export function formatSuite(suite: CipherSuite): string {
  return `0X${suite.toString(16).toUpperCase()}`;
}

/** QSSLCFG `sslversion` 3 = TLS 1.2 only; `seclevel` 1 = verify the server. */
export const SSL_VERSION_TLS12 = 3;
export const SECLEVEL_VERIFY_SERVER = 1;

export interface TlsContextSettings {
  context: number;
  suite: CipherSuite;
  caFile: string;
  sni: boolean;
  /** Seconds the handshake may take. */
  negotiateTimeS: number;
}

/** The QSSLCFG lines that configure one SSL context, in the order they are sent. */
export function tlsContextCommands(settings: TlsContextSettings): string[] {
  const ctx = settings.context;
  return [
    `AT+QSSLCFG="sslversion",${ctx},${SSL_VERSION_TLS12}`,
    `AT+QSSLCFG="ciphersuite",${ctx},${formatSuite(settings.suite)}`,
    `AT+QSSLCFG="seclevel",${ctx},${SECLEVEL_VERIFY_SERVER}`,
    `AT+QSSLCFG="cacert",${ctx},"${settings.caFile}"`,
    `AT+QSSLCFG="sni",${ctx},${settings.sni ? 1 : 0}`,
    `AT+QSSLCFG="ignorelocaltime",${ctx},0`,
    `AT+QSSLCFG="negotiatetime",${ctx},${settings.negotiateTimeS}`,
  ];
}
