/** redact(): secrets never reach a human, ordinary status text passes unchanged. Node-free (XS too). */
import { MASK, redact } from "../../modules/console/redact.js";
import { equal, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

function hidden(text: string, secret: string): void {
  const out = redact(text);
  ok(!out.includes(secret), `"${secret}" leaked in "${out}"`);
  ok(out.includes(MASK), `no mask in "${out}"`);
}

export const cases: TestCase[] = [
  {
    name: "password=, pwd:, psk=, token=, secret= and *key= values are masked, quoted or bare",
    run() {
      hidden("mqtt password=hunter2 host=x", "hunter2");
      hidden("PASSWORD = hunter2", "hunter2");
      hidden("pwd:s3cr3t", "s3cr3t");
      hidden('{"password":"hunter 2"}', "hunter 2");
      hidden("psk=0011aabb", "0011aabb");
      hidden("token=eyJhbGciOi", "eyJhbGciOi");
      hidden("client_secret: abc,def", "abc");
      hidden("pairing_key=123456", "123456");
      hidden("pairingKey: 654321", "654321");
      hidden("api.key=zzz", "zzz");
      equal(redact("password=hunter2 host=x"), `password=${MASK} host=x`);
    },
  },
  {
    name: "AT+QMTCONN: user name and password are masked, the client id stays",
    run() {
      equal(redact('AT+QMTCONN=0,"logger-17","dev17","pa55"'), `AT+QMTCONN=0,"logger-17","${MASK}","${MASK}"`);
      equal(redact('AT+QMTCONN=0,"logger-17","dev17"'), `AT+QMTCONN=0,"logger-17","${MASK}"`);
      equal(redact('at+qmtconn = 1 , "c" , "u" , "p"'), `at+qmtconn = 1 , "c" , "${MASK}" , "${MASK}"`);
    },
  },
  {
    name: "AT+QICSGP: the APN password is masked in the command and in the modem's response",
    run() {
      equal(redact('AT+QICSGP=1,1,"iot.example","user","pa55",1'), `AT+QICSGP=1,1,"iot.example","user","${MASK}",1`);
      equal(redact('+QICSGP: 1,"iot.example","user","pa55",1'), `+QICSGP: 1,"iot.example","user","${MASK}",1`);
    },
  },
  {
    name: "PEM blocks and long hex (raw keys) are masked",
    run() {
      hidden("key follows -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY----- done", "MHcCAQEEIB");
      hidden("-----BEGIN CERTIFICATE-----\nMIIB (cut off", "MIIB");
      hidden("session 00112233445566778899aabbccddeeff00112233", "00112233445566778899aabbccddeeff");
      hidden("k=x00112233445566778899AABBCCDDEEFF", "00112233445566778899AABBCCDDEEFF");
    },
  },
  {
    name: "ordinary console output is left alone",
    run() {
      for (const line of [
        "battery: 3.650 V",
        "network: home LTE-M \"Example Net\" rssi=-77dBm",
        "imei: 861234567890123",
        "iccid: 89490000000000000012",
        "serial rs485: 9600 8N1 address 1 timeout 1000 ms",
        "uplink ok records=12 rtt=800ms",
        "+CSQ: 18,99",
        "keys=3 passes=2",
        `apn: ${"a".repeat(40)}.example`,
        "counter 12345678901234567890123456789012345",
      ]) {
        equal(redact(line), line);
      }
    },
  },
];
