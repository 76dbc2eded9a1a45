/**
 * The module's file system commands (BG95 FILE application note): upload through a CONNECT
 * data phase with the module's 16-bit XOR checksum in the answer, delete, list.
 */
import { intArg, stringArg, type Bg95Context, type CommandHandler } from "./bg95-context.js";

/** Quectel file error codes. */
export const FILE_ERRORS = Object.freeze({ NotFound: 405, Exists: 407, Timeout: 421, TooLarge: 423, BadParameter: 425 });
const MAX_FILE = 64 * 1024;

/** XOR of big-endian 16-bit words (an odd last byte is the high byte), lowercase hex. */
export function fileChecksum(data: Uint8Array): string {
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum ^= (data[i] << 8) | (data[i + 1] ?? 0);
  return sum.toString(16);
}

export function fileCommands(ctx: Bg95Context): Map<string, CommandHandler> {
  const handlers = new Map<string, CommandHandler>();
  handlers.set("+QFUPL", (line, reply) => {
    const name = stringArg(line, 0);
    const size = intArg(line, 1, 1, Number.MAX_SAFE_INTEGER);
    const timeoutS = line.args.length > 2 ? intArg(line, 2, 1, 65535) : 5;
    if (!name || size === undefined || timeoutS === undefined) return reply.error(FILE_ERRORS.BadParameter);
    if (size > MAX_FILE) return reply.error(FILE_ERRORS.TooLarge);
    if (ctx.files.has(name)) return reply.error(FILE_ERRORS.Exists);
    reply.collect("connect", size, timeoutS * 1000, (data) => {
      if (!data) return reply.error(FILE_ERRORS.Timeout);
      const stored = data.slice();
      if (ctx.faults.corruptNextUpload) {
        ctx.faults.corruptNextUpload = false;
        stored[stored.length >> 1] ^= 0x20;
      }
      ctx.files.set(name, stored);
      reply.ok([`+QFUPL: ${stored.length},${fileChecksum(stored)}`], 30);
    });
  });
  handlers.set("+QFDEL", (line, reply) => {
    const name = stringArg(line, 0);
    if (!name) return reply.error(FILE_ERRORS.BadParameter);
    if (name === "*") {
      ctx.files.clear();
      return reply.ok();
    }
    if (!ctx.files.delete(name)) return reply.error(FILE_ERRORS.NotFound);
    reply.ok([], 30);
  });
  handlers.set("+QFLST", (line, reply) => {
    const pattern = line.kind === "set" ? stringArg(line, 0) : "*";
    if (pattern === undefined) return reply.error(FILE_ERRORS.BadParameter);
    const lines = [...ctx.files.entries()]
      .filter(([name]) => pattern === "*" || name === pattern)
      .map(([name, data]) => `+QFLST: "${name}",${data.length}`);
    if (!lines.length && pattern !== "*") return reply.error(FILE_ERRORS.NotFound);
    reply.ok(lines);
  });
  return handlers;
}
