/**
 * The TLS cipher suites the simulated BG95 firmware accepts in `AT+QSSLCFG="ciphersuite"`,
 * by IANA id, with the OpenSSL name the Node adapter configures and the certificate key type
 * the suite needs. The list follows the suites documented for BG9x firmware, plus the two
 * ECDHE-ECDSA suites the product allows (present on recent firmware: confirm with
 * `AT+QSSLCFG=?` on the target module).
 */
export interface SuiteInfo {
  openssl: string;
  /** The server certificate's key type the suite authenticates with. */
  auth: "rsa" | "ecdsa";
}

export const SUPPORTED_SUITES: ReadonlyMap<number, SuiteInfo> = new Map<number, SuiteInfo>([
  [0x0035, { openssl: "AES256-SHA", auth: "rsa" }],
  [0x002f, { openssl: "AES128-SHA", auth: "rsa" }],
  [0x003d, { openssl: "AES256-SHA256", auth: "rsa" }],
  [0xc013, { openssl: "ECDHE-RSA-AES128-SHA", auth: "rsa" }],
  [0xc014, { openssl: "ECDHE-RSA-AES256-SHA", auth: "rsa" }],
  [0xc027, { openssl: "ECDHE-RSA-AES128-SHA256", auth: "rsa" }],
  [0xc028, { openssl: "ECDHE-RSA-AES256-SHA384", auth: "rsa" }],
  [0xc02f, { openssl: "ECDHE-RSA-AES128-GCM-SHA256", auth: "rsa" }],
  [0xc02b, { openssl: "ECDHE-ECDSA-AES128-GCM-SHA256", auth: "ecdsa" }],
  [0xc023, { openssl: "ECDHE-ECDSA-AES128-SHA256", auth: "ecdsa" }],
]);

/** `ciphersuite` 0xFFFF: every supported suite. */
export const ALL_SUITES = 0xffff;
