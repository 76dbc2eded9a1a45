/**
 * The console's input path: bytes per second through the line editor (hostile bytes) and lines
 * per second through editor and parser, in Node and inside XS; and commands per wall second end
 * to end over the simulated console port (terminal, UART timing, console, fake services).
 */
import { PROMPT } from "../modules/console/console.js";
import { measureInXs } from "../hosts/xs/measure.js";
import { ConsoleRig } from "../test/console/rig/console-rig.js";
import { consoleInput } from "../test/console/rig/console-workload.js";

const WORKLOAD = "test/console/rig/console-workload.ts";

function perSecond(count: number, ms: number): number {
  return Math.round((count * 1000) / ms);
}

export default async function consoleBench(): Promise<Record<string, unknown>> {
  const garbageBytes = 1_000_000;
  let start = performance.now();
  consoleInput({ garbageBytes, lines: 0 });
  const garbageMs = performance.now() - start;
  const lines = 100_000;
  start = performance.now();
  const counts = consoleInput({ garbageBytes: 0, lines });
  const linesMs = performance.now() - start;

  const xsGarbage = await measureInXs(WORKLOAD, "consoleInput", { garbageBytes: 65_536, lines: 0 });
  const xsLines = await measureInXs(WORKLOAD, "consoleInput", { garbageBytes: 0, lines: 2000 });

  const rig = new ConsoleRig("bench");
  const commands = 2000;
  start = performance.now();
  for (let i = 0; i < commands; i++) {
    rig.terminal.type(i % 2 ? "status\r" : "serial rs485 timeout 500\r");
    rig.until((text) => text.endsWith(PROMPT), 2000);
    rig.run(200);
  }
  const endToEndMs = performance.now() - start;

  return {
    nodeEditorBytesPerSecond: perSecond(garbageBytes, garbageMs),
    nodeLinesPerSecond: perSecond(lines, linesMs),
    linesParsed: counts.parsed,
    xsEditorComputePerByte: Number((xsGarbage.compute / 65_536).toFixed(1)),
    xsEditorBytesPerSecond: perSecond(65_536, xsGarbage.wallMs),
    xsComputePerLine: Math.round(xsLines.compute / 2000),
    xsLinesPerSecond: perSecond(2000, xsLines.wallMs),
    endToEndCommandsPerWallSecond: perSecond(commands, endToEndMs),
    endToEndVirtualSeconds: Math.round(rig.board.scheduler.now / 1000),
  };
}
