/**
 * The AT engine's receive speed (lines per second through the state machine and the URC table),
 * and a simulated modem session (connect, 200 QoS 1 publishes, close) in wall-clock time against
 * its virtual duration.
 */
import { AtEngine } from "../drivers/modem/at/at-engine.js";
import { AtTranscript } from "../drivers/modem/at/at-transcript.js";
import { utf8Bytes } from "../drivers/modem/at/text.js";
import type { Platform } from "../modules/platform/platform.js";
import { SimBoard } from "../hosts/sim/board.js";
import { ModemWorld, mqttConfig } from "../test/modem/support/modem-world.js";

function engineThroughput(): Record<string, number> {
  const board = new SimBoard({ seed: 1 });
  let platform: Platform | undefined;
  board.start((p) => { platform = p; });
  const engine = new AtEngine({ write: () => undefined }, platform!.timers, new AtTranscript(() => board.scheduler.now, { capacity: 50 }));
  let urcs = 0;
  engine.urcs.add({ prefix: "+CEREG:", handle: () => { urcs++; } });
  const chunk = utf8Bytes("\r\n+CEREG: 1,\"1A2B\",\"01A2B3C4\",8\r\n\r\n+CSQ: 18,99\r\n\r\nOK\r\n");
  const rounds = 20_000;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    engine.send({ text: "AT+CSQ", timeoutMs: 300, responsePrefixes: ["+CSQ:"] }, () => undefined);
    engine.receive(chunk);
  }
  const seconds = (performance.now() - start) / 1000;
  return { engineLinesPerSecond: Math.round((rounds * 3) / seconds), engineUrcs: urcs };
}

function simulatedSession(): Record<string, number> {
  const start = performance.now();
  const world = new ModemWorld();
  let ready = false;
  world.session.connect(mqttConfig(), () => { ready = true; });
  world.runUntil(() => ready);
  let acknowledged = 0;
  for (let i = 0; i < 200; i++) world.session.publish("up/logger-0042/samples", utf8Bytes(`record ${i}`), (error) => { if (!error) acknowledged++; });
  world.runUntil(() => acknowledged === 200, 600_000);
  let closed = false;
  world.session.close(() => { closed = true; });
  world.runUntil(() => closed);
  return {
    sessionWallMs: Math.round(performance.now() - start),
    sessionVirtualS: Math.round(world.now / 100) / 10,
    publishesAcknowledged: acknowledged,
    schedulerEvents: world.board.scheduler.executed,
  };
}

export default async function modem(): Promise<Record<string, unknown>> {
  return { ...engineThroughput(), ...simulatedSession() };
}
